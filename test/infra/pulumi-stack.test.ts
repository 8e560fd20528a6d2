// The Pulumi program's resource graph under Pulumi's mocks (Bun runs them: no Node needed).
import { beforeAll, describe, expect, test } from "bun:test";
import { ensureInfraDeps, importInfra } from "./support/infra-deps";

await ensureInfraDeps();
const { installPulumiMocks, registeredUrn, outputValue, FAKE_KUBECONFIG } = await import("./support/pulumi-mocks");
type Registered = import("./support/pulumi-mocks").Registered;

async function runProgram(config: Record<string, string>) {
  const registered = installPulumiMocks(config);
  const { loadStackSettings } = await importInfra<typeof import("../../infra/src/stack-config")>("src/stack-config");
  const { createShopPlatform } = await importInfra<typeof import("../../infra/src/stack")>("src/stack");
  const platform = createShopPlatform(loadStackSettings());
  const resources = [
    platform.cluster.create,
    platform.cluster.provider,
    platform.cluster.ingressNginx,
    platform.argocd,
    platform.secret,
    ...platform.kafka,
    ...platform.workloads,
    ...(platform.rootApplication ? [platform.rootApplication] : []),
  ];
  await Promise.all(resources.map(registeredUrn));
  return { registered, platform };
}

const ofType = (registered: Registered[], type: string) => registered.filter((r) => r.type === type);

describe("pulumi program, GitOps mode (default)", () => {
  let run: Awaited<ReturnType<typeof runProgram>>;
  beforeAll(async () => {
    run = await runProgram({});
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

  test("a Kubernetes provider bound to the cluster's kubeconfig, used by every Kubernetes resource", async () => {
    const [provider] = ofType(run.registered, "pulumi:providers:kubernetes");
    expect(provider!.name).toBe("kind");
    expect(await outputValue(run.platform.cluster.create.stdout)).toBe(FAKE_KUBECONFIG);
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

  test("stack outputs", async () => {
    expect(run.platform.outputs.dashboardUrl).toBe("http://localhost/");
    expect(run.platform.outputs.workloadsManagedBy).toBe("argocd");
  });
});

describe("pulumi program, deployWorkloadsDirectly", () => {
  let run: Awaited<ReturnType<typeof runProgram>>;
  beforeAll(async () => {
    run = await runProgram({ deployWorkloadsDirectly: "true", imageTag: "sha-123", imageRegistry: "ghcr.io/acme" });
  });

  test("one Deployment, Service and PVC per service, the gateway's Ingress; no Application", () => {
    const services = ["catalog", "cart", "order", "payment", "gateway"];
    const deployments = ofType(run.registered, "kubernetes:apps/v1:Deployment");
    expect(deployments.map((d) => d.inputs.metadata.name).sort()).toEqual([...services].sort());
    for (const d of deployments) {
      const [c] = d.inputs.spec.template.spec.containers;
      expect(c.image).toBe(`ghcr.io/acme/bun-shop-${d.inputs.metadata.name}:sha-123`);
      expect(c.livenessProbe.httpGet.path).toBe("/health/live");
      expect(c.readinessProbe.httpGet.path).toBe("/health/ready");
      expect(c.resources.limits.memory).toBeTruthy();
      expect(d.inputs.spec.replicas).toBe(1);
    }
    const pvcs = ofType(run.registered, "kubernetes:core/v1:PersistentVolumeClaim").map((p) => p.inputs.metadata.name);
    expect(pvcs.sort()).toEqual(services.map((s) => `${s}-data`).sort());
    const shopServices = ofType(run.registered, "kubernetes:core/v1:Service").filter((s) => s.inputs.metadata.namespace === "shop");
    expect(shopServices).toHaveLength(5);
    expect(ofType(run.registered, "kubernetes:networking.k8s.io/v1:Ingress")).toHaveLength(1);
    expect(ofType(run.registered, "kubernetes:argoproj.io/v1alpha1:Application")).toHaveLength(0);
    expect(run.platform.outputs.workloadsManagedBy).toBe("pulumi");
  });
});
