// The Pulumi program's resource graph under Pulumi's mocks (Bun runs them: no Node needed):
// its components and what each holds, both workload modes, kind or an existing cluster.
import { beforeAll, describe, expect, test } from "bun:test";
import { ensureInfraDeps, importInfra } from "./support/infra-deps";

await ensureInfraDeps();
const pulumi = await importInfra<typeof import("../../infra/node_modules/@pulumi/pulumi")>("node_modules/@pulumi/pulumi");
const { outputValue, FAKE_KUBECONFIG } = await import("./support/pulumi-mocks");
const { runProgram } = await import("./support/pulumi-program");
type Registered = import("./support/pulumi-mocks").Registered;
type ProgramRun = import("./support/pulumi-program").ProgramRun;

const ALL_SECRETS = { tokenSecret: "t".repeat(40), demoAlicePassword: "alice-pw", demoBobPassword: "bob-pw", demoOpsPassword: "ops-pw" };

const ofType = (registered: Registered[], type: string) => registered.filter((r) => r.type === type);
/** The component a resource of `type` named `name` sits in (its URN's parent chain). */
const parentsOf = (run: ProgramRun, type: string, name: string) => {
  const found = run.urns.find((u) => u.types.at(-1) === type && u.name === name);
  if (!found) throw new Error(`no ${type} ${name} registered`);
  return found.types.slice(0, -1);
};

describe("pulumi program, GitOps mode (default)", () => {
  let run: ProgramRun;
  beforeAll(async () => {
    run = await runProgram({});
  });

  test("five components at the stack's root: cluster, Kafka, ArgoCD, the PostgreSQL operator, shop", () => {
    const components = run.registered.filter((r) => r.custom === false).map((r) => `${r.type} ${r.name}`);
    expect(components.sort()).toEqual([
      "bun-shop:infra:ArgoCd argocd",
      "bun-shop:infra:Cluster cluster",
      "bun-shop:infra:Kafka kafka",
      "bun-shop:infra:PostgresOperator postgres-operator",
      "bun-shop:infra:Shop shop",
    ]);
    for (const u of run.urns.filter((u) => u.types.at(-1)!.startsWith("bun-shop:infra:"))) expect(u.types).toHaveLength(1);
  });

  test("every resource is inside a component, none at the root", () => {
    const custom = run.urns.filter((u) => !u.types.at(-1)!.startsWith("bun-shop:infra:") && u.types.at(-1) !== "pulumi:pulumi:Stack");
    expect(custom.length).toBeGreaterThanOrEqual(15);
    for (const u of custom) expect(u.types.length).toBe(2);
    expect(parentsOf(run, "command:local:Command", "kind-cluster")).toEqual(["bun-shop:infra:Cluster"]);
    expect(parentsOf(run, "pulumi:providers:kubernetes", "kind")).toEqual(["bun-shop:infra:Cluster"]);
    expect(parentsOf(run, "kubernetes:helm.sh/v3:Release", "ingress-nginx")).toEqual(["bun-shop:infra:Cluster"]);
    expect(parentsOf(run, "kubernetes:apps/v1:StatefulSet", "kafka-statefulset-kafka-kafka")).toEqual(["bun-shop:infra:Kafka"]);
    expect(parentsOf(run, "kubernetes:batch/v1:Job", "kafka-job-kafka-kafka-topics")).toEqual(["bun-shop:infra:Kafka"]);
    expect(parentsOf(run, "kubernetes:helm.sh/v3:Release", "argocd")).toEqual(["bun-shop:infra:ArgoCd"]);
    expect(parentsOf(run, "kubernetes:helm.sh/v3:Release", "cloudnative-pg")).toEqual(["bun-shop:infra:PostgresOperator"]);
    expect(parentsOf(run, "kubernetes:helm.sh/v3:Release", "metrics-server")).toEqual(["bun-shop:infra:Cluster"]);
    expect(parentsOf(run, "kubernetes:postgresql.cnpg.io/v1:Cluster", "shop-cluster-shop-shop-postgres")).toEqual(["bun-shop:infra:Shop"]);
    expect(parentsOf(run, "kubernetes:core/v1:Secret", "shop-secrets")).toEqual(["bun-shop:infra:Shop"]);
    expect(parentsOf(run, "kubernetes:argoproj.io/v1alpha1:Application", "argocd-root-application")).toEqual(["bun-shop:infra:Shop"]);
    expect(parentsOf(run, "random:index/randomPassword:RandomPassword", "shop-tokenSecret")).toEqual(["bun-shop:infra:Shop"]);
  });

  test("kind cluster: created and deleted by a local Command that writes the kind config", () => {
    const [kind] = ofType(run.registered, "command:local:Command");
    expect(kind!.inputs.create).toContain("kind create cluster --name 'bun-shop' --config .kind/bun-shop.yaml");
    expect(kind!.inputs.create).toContain('printf \'%s\' "$KIND_CONFIG" > .kind/bun-shop.yaml');
    expect(kind!.inputs.create).toContain("kind get kubeconfig --name 'bun-shop'");
    expect(kind!.inputs.delete).toBe("kind delete cluster --name 'bun-shop'");
    expect(kind!.inputs.environment.KIND_CONFIG).toContain("hostPort: 80");
    expect(kind!.inputs.environment.KIND_CONFIG).toContain("hostPort: 443");
    expect(kind!.inputs.environment.KIND_CONFIG).toContain("ingress-ready=true");
  });

  test("the kubeconfig the kind Command prints (client key included) stays out of the logs", () => {
    const [kind] = ofType(run.registered, "command:local:Command");
    // The command provider streams both streams into `pulumi up`'s log unless told otherwise;
    // additionalSecretOutputs only hides the stdout output, not those log lines.
    expect(kind!.inputs.logging).toBe("stderr");
    expect(kind!.inputs.create).toMatch(/kind create cluster .*>&2/); // kind's progress goes to stderr, logged
    expect(kind!.inputs.create.split("\n").at(-1)).toBe("kind get kubeconfig --name 'bun-shop'"); // the only stdout
  });

  test("a Kubernetes provider bound to the cluster's kubeconfig, used by every Kubernetes resource", async () => {
    const [provider] = ofType(run.registered, "pulumi:providers:kubernetes");
    expect(provider!.name).toBe("kind");
    expect(await outputValue(run.platform.cluster.kubeconfig)).toBe(FAKE_KUBECONFIG);
    expect(run.platform.cluster.kubeContext).toBe("kind-bun-shop");
    const k8sResources = run.registered.filter((r) => r.type.startsWith("kubernetes:"));
    expect(k8sResources.length).toBeGreaterThanOrEqual(10);
    for (const r of k8sResources) expect(r.provider ?? "").toContain("pulumi:providers:kubernetes::kind::");
  });

  test("ingress-nginx and ArgoCD from their Helm charts", () => {
    const releases = ofType(run.registered, "kubernetes:helm.sh/v3:Release");
    const ingress = releases.find((r) => r.inputs.chart === "ingress-nginx")!;
    expect(ingress.inputs.repositoryOpts.repo).toBe("https://kubernetes.github.io/ingress-nginx");
    expect(ingress.inputs.values.controller.hostPort.enabled).toBe(true);
    const argocd = releases.find((r) => r.inputs.chart === "argo-cd")!;
    expect(argocd.inputs.repositoryOpts.repo).toBe("https://argoproj.github.io/argo-helm");
    expect(argocd.inputs.namespace).toBe("argocd");
    expect(argocd.inputs.version).toMatch(/^\d+\.\d+\.\d+$/);
  });

  test("Kafka in KRaft mode: StatefulSet with storage, Services, topics Job", () => {
    const [sts] = ofType(run.registered, "kubernetes:apps/v1:StatefulSet");
    expect(sts!.inputs.metadata.namespace).toBe("kafka");
    expect(sts!.inputs.spec.volumeClaimTemplates).toHaveLength(1);
    const env = sts!.inputs.spec.template.spec.containers[0].env;
    expect(env).toContainEqual({ name: "KAFKA_PROCESS_ROLES", value: "broker,controller" });
    const [job] = ofType(run.registered, "kubernetes:batch/v1:Job");
    expect(job!.inputs.metadata.name).toBe("kafka-topics");
    const services = ofType(run.registered, "kubernetes:core/v1:Service").map((s) => s.inputs.metadata.name);
    expect(services).toEqual(expect.arrayContaining(["kafka", "kafka-headless"]));
  });

  test("the root ArgoCD Application (app of apps) with automated sync, prune and selfHeal", () => {
    const apps = ofType(run.registered, "kubernetes:argoproj.io/v1alpha1:Application");
    expect(apps).toHaveLength(1);
    const root = apps[0]!.inputs;
    expect(root.metadata.namespace).toBe("argocd");
    expect(root.spec.source.path).toBe("argocd/applications");
    expect(root.spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
  });

  test("PostgreSQL: the CloudNativePG operator from its chart, a Cluster and one Database per module", () => {
    const [operator] = ofType(run.registered, "kubernetes:helm.sh/v3:Release").filter((r) => r.name === "cloudnative-pg");
    expect(operator!.inputs).toMatchObject({
      chart: "cloudnative-pg",
      version: "0.26.0",
      repositoryOpts: { repo: "https://cloudnative-pg.github.io/charts" },
      namespace: "cnpg-system",
      createNamespace: true,
    });
    const [cluster, ...more] = ofType(run.registered, "kubernetes:postgresql.cnpg.io/v1:Cluster");
    expect(more).toHaveLength(0);
    expect(cluster!.inputs.metadata).toMatchObject({ name: "shop-postgres", namespace: "shop" });
    expect(cluster!.inputs.spec).toMatchObject({ instances: 2, bootstrap: { initdb: { database: "shop", owner: "shop" } }, storage: { storageClass: "standard" } });
    const databases = ofType(run.registered, "kubernetes:postgresql.cnpg.io/v1:Database").map((d) => d.inputs.spec);
    expect(databases.map((d) => d.name).sort()).toEqual(["cart", "catalog", "identity", "order", "payment"]);
    for (const d of databases) expect(d).toMatchObject({ owner: "shop", cluster: { name: "shop-postgres" }, databaseReclaimPolicy: "retain" });
    // No password anywhere in the program: the operator makes it, the pods read its Secret.
    expect(JSON.stringify(run.registered.filter((r) => r.type.includes("cnpg")).map((r) => r.inputs))).not.toMatch(/password/i);
  });

  test("metrics-server on kind, for the autoscalers: kind's kubelet certificates are self-signed", async () => {
    const [release] = ofType(run.registered, "kubernetes:helm.sh/v3:Release").filter((r) => r.name === "metrics-server");
    expect(release!.inputs).toMatchObject({
      chart: "metrics-server",
      repositoryOpts: { repo: "https://kubernetes-sigs.github.io/metrics-server/" },
      namespace: "kube-system",
      values: { args: ["--kubelet-insecure-tls"] },
    });
    // SQLite mode has no autoscaler, so no metrics-server either.
    const sqlite = await runProgram({ database: "sqlite" });
    expect(ofType(sqlite.registered, "kubernetes:helm.sh/v3:Release").map((r) => r.name).sort()).toEqual(["argocd", "ingress-nginx"]);
  });

  test("the shop's namespace and Secret, but no workloads: ArgoCD owns them", () => {
    const namespaces = ofType(run.registered, "kubernetes:core/v1:Namespace").map((n) => n.inputs.metadata.name);
    expect(namespaces.sort()).toEqual(["kafka", "shop"]);
    const [secret] = ofType(run.registered, "kubernetes:core/v1:Secret");
    expect(secret!.inputs.metadata).toEqual({ name: "shop-secrets", namespace: "shop" });
    const stringData = secret!.inputs.stringData.value ?? secret!.inputs.stringData; // marked secret by the Secret resource
    expect(Object.keys(stringData).sort()).toEqual(
      ["DEMO_ALICE_PASSWORD", "DEMO_BOB_PASSWORD", "DEMO_OPS_PASSWORD", "TOKEN_SECRET"],
    );
    expect(ofType(run.registered, "kubernetes:apps/v1:Deployment")).toHaveLength(0);
  });

  test("unset secrets are generated once by the random provider", () => {
    expect(ofType(run.registered, "random:index/randomPassword:RandomPassword").map((r) => r.name).sort()).toEqual(
      ["shop-demoAlicePassword", "shop-demoBobPassword", "shop-demoOpsPassword", "shop-tokenSecret"],
    );
  });

  test("stack outputs", async () => {
    expect(run.platform.outputs.dashboardUrl).toBe("http://localhost/");
    expect(run.platform.outputs.workloadsManagedBy).toBe("argocd");
    expect(await outputValue(run.platform.outputs.argocdUi)).toBe(
      "kubectl --context kind-bun-shop -n argocd port-forward svc/argocd-server 8080:80",
    );
  });
});

describe("pulumi program, deployWorkloadsDirectly", () => {
  let run: ProgramRun;
  beforeAll(async () => {
    run = await runProgram({ deployWorkloadsDirectly: "true", imageTag: "sha-123", imageRegistry: "ghcr.io/acme" });
  });

  const services = ["catalog", "cart", "order", "payment", "gateway"];

  test("PostgreSQL: one Deployment, Service, PodDisruptionBudget and autoscaler per service, the gateway's Ingress; no PVC, no Application", () => {
    const deployments = ofType(run.registered, "kubernetes:apps/v1:Deployment");
    expect(deployments.map((d) => d.inputs.metadata.name).sort()).toEqual([...services].sort());
    for (const d of deployments) {
      const [c] = d.inputs.spec.template.spec.containers;
      expect(c.image).toBe(`ghcr.io/acme/bun-shop-${d.inputs.metadata.name}:sha-123`);
      expect(c.livenessProbe.httpGet.path).toBe("/health/live");
      expect(c.readinessProbe.httpGet.path).toBe("/health/ready");
      expect(c.resources.requests.cpu).toBeTruthy(); // the autoscaler's utilization is against it
      expect(d.inputs.spec.replicas).toBeUndefined(); // the autoscaler's to set
    }
    expect(ofType(run.registered, "kubernetes:core/v1:PersistentVolumeClaim")).toHaveLength(0);
    const budgets = ofType(run.registered, "kubernetes:policy/v1:PodDisruptionBudget");
    expect(budgets.map((b) => b.inputs.metadata.name).sort()).toEqual([...services].sort());
    const autoscalers = ofType(run.registered, "kubernetes:autoscaling/v2:HorizontalPodAutoscaler");
    expect(autoscalers.map((h) => h.inputs.spec.scaleTargetRef.name).sort()).toEqual([...services].sort());
    for (const h of autoscalers) expect(h.inputs.spec).toMatchObject({ minReplicas: 2, maxReplicas: 4 });
    const shopServices = ofType(run.registered, "kubernetes:core/v1:Service").filter((s) => s.inputs.metadata.namespace === "shop");
    expect(shopServices).toHaveLength(5);
    expect(ofType(run.registered, "kubernetes:networking.k8s.io/v1:Ingress")).toHaveLength(1);
    expect(ofType(run.registered, "kubernetes:argoproj.io/v1alpha1:Application")).toHaveLength(0);
    expect(run.platform.outputs.workloadsManagedBy).toBe("pulumi");
  });

  test("SQLite: one PVC per service and replicas 1, no budget, no autoscaler, no database cluster", async () => {
    const sqlite = await runProgram({ deployWorkloadsDirectly: "true", database: "sqlite" });
    for (const d of ofType(sqlite.registered, "kubernetes:apps/v1:Deployment")) expect(d.inputs.spec.replicas).toBe(1);
    const pvcs = ofType(sqlite.registered, "kubernetes:core/v1:PersistentVolumeClaim").map((p) => p.inputs.metadata.name);
    expect(pvcs.sort()).toEqual(services.map((s) => `${s}-data`).sort());
    for (const type of ["policy/v1:PodDisruptionBudget", "autoscaling/v2:HorizontalPodAutoscaler", "postgresql.cnpg.io/v1:Cluster", "postgresql.cnpg.io/v1:Database"]) {
      expect(ofType(sqlite.registered, `kubernetes:${type}`)).toHaveLength(0);
    }
    expect(sqlite.registered.filter((r) => r.type === "bun-shop:infra:PostgresOperator")).toHaveLength(0);
  });

  test("the workloads sit in the Shop component", () => {
    for (const name of ["shop-deployment-shop-catalog", "shop-service-shop-gateway", "shop-poddisruptionbudget-shop-order", "shop-horizontalpodautoscaler-shop-cart"]) {
      const type = run.registered.find((r) => r.name === name)!.type;
      expect(parentsOf(run, type, name)).toEqual(["bun-shop:infra:Shop"]);
    }
    expect(parentsOf(run, "kubernetes:networking.k8s.io/v1:Ingress", "shop-ingress-shop-gateway")).toEqual(["bun-shop:infra:Shop"]);
  });
});

describe("pulumi program, an existing cluster (config kubeconfig)", () => {
  const kubeconfig = "apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: 'https://127.0.0.1:6443'}}]\n";
  let run: ProgramRun;
  beforeAll(async () => {
    run = await runProgram({ kubeconfig, kubeContext: "staging", installArgoCd: "false", installPostgresOperator: "false", ...ALL_SECRETS });
  });

  test("no kind cluster: a provider on the given kubeconfig and context", async () => {
    expect(ofType(run.registered, "command:local:Command")).toHaveLength(0);
    const [provider] = ofType(run.registered, "pulumi:providers:kubernetes");
    expect(provider!.name).toBe("existing");
    expect(provider!.inputs.context).toBe("staging");
    expect(await outputValue(run.platform.cluster.kubeconfig)).toBe(kubeconfig);
    for (const r of run.registered.filter((r) => r.type.startsWith("kubernetes:"))) {
      expect(r.provider ?? "").toContain("pulumi:providers:kubernetes::existing::");
    }
    expect(run.platform.outputs.clusterName).toBe("existing: staging");
    expect(await outputValue(run.platform.outputs.argocdUi)).toBe("kubectl --context staging -n argocd port-forward svc/argocd-server 8080:80");
  });

  test("the kubeconfig is a secret: never in plain text in the state", async () => {
    expect(await pulumi.isSecret(run.platform.cluster.kubeconfig)).toBe(true);
    expect(await pulumi.isSecret(run.platform.outputs.kubeconfig)).toBe(true);
  });

  test("no Helm release: ingress-nginx is off on an existing cluster by default, ArgoCD and the PostgreSQL operator off by config", () => {
    expect(ofType(run.registered, "kubernetes:helm.sh/v3:Release")).toHaveLength(0);
    expect(run.registered.filter((r) => r.type === "bun-shop:infra:ArgoCd")).toHaveLength(0);
    expect(run.registered.filter((r) => r.type === "bun-shop:infra:PostgresOperator")).toHaveLength(0);
    // The shop's Cluster is still created: the operator is expected in the cluster already.
    expect(ofType(run.registered, "kubernetes:postgresql.cnpg.io/v1:Cluster")).toHaveLength(1);
    // The root Application is still created: ArgoCD is expected in the cluster already.
    expect(ofType(run.registered, "kubernetes:argoproj.io/v1alpha1:Application")).toHaveLength(1);
  });

  test("all four secrets set: no random provider resource at all", () => {
    expect(run.registered.filter((r) => r.type.startsWith("random:"))).toEqual([]);
    const [secret] = ofType(run.registered, "kubernetes:core/v1:Secret");
    const stringData = secret!.inputs.stringData.value ?? secret!.inputs.stringData;
    expect(stringData.TOKEN_SECRET).toBe(ALL_SECRETS.tokenSecret);
  });

  test("ingress-nginx can be asked for on an existing cluster too", async () => {
    const withIngress = await runProgram({ kubeconfig, installIngressNginx: "true", ...ALL_SECRETS });
    expect(ofType(withIngress.registered, "kubernetes:helm.sh/v3:Release").map((r) => r.name).sort()).toEqual(["argocd", "cloudnative-pg", "ingress-nginx"]);
  });
});
