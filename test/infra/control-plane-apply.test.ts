// Every object the Pulumi program (both modes) and argocd/ would create, server-side applied for real
// to a real Kubernetes API server (scripts/kube/control-plane.ts: kine, kube-apiserver,
// kube-controller-manager, kube-scheduler, kwok), and the workloads rolled out on kwok's node:
// Deployments available at their autoscalers' minimum, disruption budgets counting their pods, the
// topics Job complete, every claim bound. Helm releases are not applied (no chart repository is
// reachable): ArgoCD's part is its Application CRD and namespace, CloudNativePG's its Cluster and
// Database CRDs from the operator's source (so the server checks the shop's PostgreSQL objects
// against the operator's schemas; no operator runs, so no PostgreSQL starts). The program's default
// is PostgreSQL mode; SQLite mode's workloads go into a namespace of their own.
// The programs are built before the tests (`bun scripts/kube/control-plane.ts prepare`, run by npm test).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT, ensureInfraDeps, importInfra } from "./support/infra-deps";
import { type ControlPlane, FAKE_NODE, STORAGE_CLASS, startControlPlane } from "../../scripts/kube/control-plane";
import { KubeApiError, type KubeObject, waitFor } from "../../scripts/kube/kube-api";

await ensureInfraDeps();
const { runProgram, kubernetesObjectsOf } = await import("./support/pulumi-program");
const { buildWorkloadManifests } = await importInfra<typeof import("../../infra/src/workloads")>("src/workloads");
const { defaultWorkloadSettings } = await importInfra<typeof import("../../infra/src/settings")>("src/settings");
const { parseAllDocuments } = await importInfra<typeof import("../../infra/node_modules/yaml")>("node_modules/yaml");

const FIELD_MANAGER = "bun-shop-test";
const SQLITE_NAMESPACE = "shop-sqlite";
const SERVICES = ["cart", "catalog", "gateway", "order", "payment"];
const SECRETS = { tokenSecret: "s".repeat(48), demoAlicePassword: "alice-pw", demoBobPassword: "bob-pw", demoOpsPassword: "ops-pw" };

const yamlObjects = (path: string): KubeObject[] =>
  parseAllDocuments(readFileSync(join(REPO_ROOT, path), "utf8")).map((d) => d.toJS() as KubeObject);

function argocdFiles(): string[] {
  const files = ["argocd/root-application.yaml"];
  for (const dir of ["argocd/applications", "argocd/apps/shop"]) {
    for (const name of readdirSync(join(REPO_ROOT, dir)).filter((f) => f.endsWith(".yaml")).sort()) files.push(`${dir}/${name}`);
  }
  return files;
}

const key = (o: KubeObject) => `${o.apiVersion} ${o.kind} ${o.metadata.namespace ?? ""}/${o.metadata.name}`;
const condition = (o: KubeObject | undefined, type: string) =>
  ((o?.status as any)?.conditions ?? []).find((c: { type: string }) => c.type === type)?.status;

let plane: ControlPlane;
/** What was applied, by source, in apply order. */
const applied: { source: string; object: KubeObject }[] = [];

beforeAll(async () => {
  plane = await startControlPlane();
  // ArgoCD's part without its chart: the namespace the chart would make, and its Application CRD;
  // CloudNativePG's: its Cluster and Database CRDs.
  await plane.api.apply({ apiVersion: "v1", kind: "Namespace", metadata: { name: "argocd" } }, FIELD_MANAGER);
  for (const text of [plane.argoCdApplicationCrd, ...plane.cloudNativePgCrds]) {
    const [crd] = parseAllDocuments(text).map((d) => d.toJS() as KubeObject);
    await plane.api.apply(crd!, FIELD_MANAGER);
    await waitFor(`the ${crd!.metadata.name} CRD to be established`, async () =>
      condition(await plane.api.read("apiextensions.k8s.io/v1", "CustomResourceDefinition", crd!.metadata.name), "Established") === "True" || undefined,
      { timeoutMs: 60_000 });
  }
  plane.api.forget("argoproj.io/v1alpha1");
  plane.api.forget("postgresql.cnpg.io/v1");

  const sources: { source: string; objects: KubeObject[] }[] = [];
  for (const [mode, config] of [["GitOps mode", {}], ["deployWorkloadsDirectly", { deployWorkloadsDirectly: "true" }]] as const) {
    const run = await runProgram({ ...SECRETS, ...config });
    sources.push({ source: `pulumi (${mode})`, objects: kubernetesObjectsOf(run.registered) as KubeObject[] });
  }
  for (const file of argocdFiles()) sources.push({ source: file, objects: yamlObjects(file) });
  const sqlite = { ...defaultWorkloadSettings("sqlite"), namespace: SQLITE_NAMESPACE };
  sources.push({
    source: "workloads (sqlite)",
    objects: [{ apiVersion: "v1", kind: "Namespace", metadata: { name: SQLITE_NAMESPACE } }, ...(buildWorkloadManifests(sqlite) as KubeObject[])],
  });

  // Namespaces first, as Pulumi's dependsOn and ArgoCD's CreateNamespace would have them.
  const all = sources.flatMap(({ source, objects }) => objects.map((object) => ({ source, object })));
  const ordered = [...all.filter((a) => a.object.kind === "Namespace"), ...all.filter((a) => a.object.kind !== "Namespace")];
  for (const { source, object } of ordered) {
    try {
      applied.push({ source, object: await plane.api.apply(object, FIELD_MANAGER) });
    } catch (e) {
      throw new Error(`${source}: applying ${key(object)} failed: ${e}`);
    }
  }
}, 300_000);

afterAll(async () => {
  await plane?.stop();
}, 60_000);

describe("the program's and argocd/'s objects on a real API server", () => {
  test("every object was applied and is there, as applied (not a dry run)", async () => {
    const kinds = new Set(applied.map((a) => a.object.kind));
    for (const kind of ["Namespace", "Secret", "Service", "StatefulSet", "Job", "PersistentVolumeClaim", "Deployment", "Ingress", "Application",
      "PodDisruptionBudget", "HorizontalPodAutoscaler", "Cluster", "Database"]) {
      expect(kinds).toContain(kind);
    }
    for (const { source, object } of applied) {
      const stored = await plane.api.read(object.apiVersion, object.kind, object.metadata.name, object.metadata.namespace);
      expect({ source, key: key(object), uid: stored?.metadata.uid }).toEqual({ source, key: key(object), uid: object.metadata.uid });
    }
  });

  test("argocd/ holds the same workloads Pulumi applies directly (one field manager, no conflict)", () => {
    const fromGit = new Set(applied.filter((a) => a.source.startsWith("argocd/apps/")).map((a) => key(a.object)));
    const direct = new Set(applied.filter((a) => a.source === "pulumi (deployWorkloadsDirectly)" && fromGit.has(key(a.object))).map((a) => key(a.object)));
    expect(fromGit.size).toBe(21); // 5 x (Deployment, Service, PodDisruptionBudget, autoscaler) + the Ingress
    expect([...direct].sort()).toEqual([...fromGit].sort());
  });

  test("the Applications pass the CRD's schema, with their sync policy kept", async () => {
    const apps = await plane.api.list("argoproj.io/v1alpha1", "Application", "argocd");
    expect(apps.map((a) => a.metadata.name).sort()).toEqual(["bun-shop-root", "bun-shop-workloads"]);
    for (const app of apps) expect((app.spec as any).syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
  });

  test("the server refuses what is broken (the check can fail): a bad Application, a Deployment that selects no pod", async () => {
    const app = structuredClone(applied.find((a) => a.object.kind === "Application")!.object);
    const badApp = { apiVersion: app.apiVersion, kind: app.kind, metadata: { name: "broken", namespace: "argocd" }, spec: { ...(app.spec as object), syncPolicy: { automated: { prune: "yes" } } } };
    const appError = await plane.api.apply(badApp, FIELD_MANAGER).then(() => undefined, (e) => e);
    expect(appError).toBeInstanceOf(KubeApiError);
    // Server-side apply types the patch with the CRD's schema first, and answers a mismatch with 500.
    expect(appError.body).toContain(".spec.syncPolicy.automated.prune: expected boolean");
    const { destination: _, ...withoutDestination } = app.spec as Record<string, unknown>;
    const missing = await plane.api.apply({ ...badApp, spec: withoutDestination }, FIELD_MANAGER).then(() => undefined, (e) => e);
    expect(missing.status).toBe(422);
    expect(missing.body).toContain("spec.destination: Required value");

    const deployment = structuredClone(applied.find((a) => a.object.kind === "Deployment")!.object);
    const badDeployment = { apiVersion: deployment.apiVersion, kind: deployment.kind, metadata: { name: "broken", namespace: deployment.metadata.namespace }, spec: { ...(deployment.spec as any), selector: { matchLabels: { app: "nothing" } } } };
    const deploymentError = await plane.api.apply(badDeployment, FIELD_MANAGER).then(() => undefined, (e) => e);
    expect(deploymentError.status).toBe(422);
    expect(deploymentError.body).toContain("selector` does not match template `labels`");
  });

  test("the shop's PostgreSQL passes the operator's own schemas: a Cluster and a Database per module", async () => {
    const [cluster, ...others] = await plane.api.list("postgresql.cnpg.io/v1", "Cluster", "shop");
    expect(others).toHaveLength(0);
    expect(cluster!.metadata.name).toBe("shop-postgres");
    expect((cluster!.spec as any).bootstrap.initdb).toEqual({ database: "shop", owner: "shop" });
    const databases = await plane.api.list("postgresql.cnpg.io/v1", "Database", "shop");
    expect(databases.map((d) => (d.spec as any).name).sort()).toEqual(["cart", "catalog", "identity", "order", "payment"]);
    // The check can fail: the CRD's schema refuses a wrong type and a missing owner.
    const badCluster = { apiVersion: cluster!.apiVersion, kind: "Cluster", metadata: { name: "broken", namespace: "shop" }, spec: { ...(cluster!.spec as object), instances: "two" } };
    const clusterError = await plane.api.apply(badCluster, FIELD_MANAGER).then(() => undefined, (e) => e);
    expect(clusterError).toBeInstanceOf(KubeApiError);
    expect(clusterError.body).toContain(".spec.instances: expected numeric");
    const { owner: _, ...withoutOwner } = databases[0]!.spec as Record<string, unknown>;
    const badDatabase = { apiVersion: databases[0]!.apiVersion, kind: "Database", metadata: { name: "broken", namespace: "shop" }, spec: withoutOwner };
    const databaseError = await plane.api.apply(badDatabase, FIELD_MANAGER).then(() => undefined, (e) => e);
    expect(databaseError.status).toBe(422);
    expect(databaseError.body).toContain("spec.owner: Required value");
  });
});

describe("rolled out on kwok's node", () => {
  const list = (kind: string, namespace: string, apiVersion = "v1") => plane.api.list(apiVersion, kind, namespace);
  const pending = async (namespace: string) => {
    const claims = await list("PersistentVolumeClaim", namespace);
    const pods = await list("Pod", namespace);
    return [
      ...claims.filter((c) => (c.status as any)?.phase !== "Bound").map((c) => `claim ${c.metadata.name}: ${(c.status as any)?.phase}`),
      ...pods.map((p) => `pod ${p.metadata.name}: ${(p.status as any)?.phase} on ${(p.spec as any).nodeName ?? "no node"}`),
    ].join("\n");
  };

  test("every claim is bound to a volume of the default class", async () => {
    for (const namespace of [SQLITE_NAMESPACE, "kafka"]) {
      const claims = await waitFor(`the claims in ${namespace} to be bound`, async () => {
        const claims = await list("PersistentVolumeClaim", namespace);
        return claims.length > 0 && claims.every((c) => (c.status as any)?.phase === "Bound") ? claims : undefined;
      }, { timeoutMs: 120_000, describe: () => pending(namespace) });
      for (const claim of claims) expect((claim.spec as any).storageClassName).toBe(STORAGE_CLASS);
      if (namespace === "kafka") expect(claims.map((c) => c.metadata.name)).toEqual(["data-kafka-0"]);
      else expect(claims).toHaveLength(5);
    }
  }, 150_000);

  test("PostgreSQL mode: no claim of the shop's own (its data is in the Cluster)", async () => {
    expect(await list("PersistentVolumeClaim", "shop")).toEqual([]);
  });

  test("SQLite mode's Deployments are available, one replica each, on the fake node", async () => {
    const deployments = await waitFor("the SQLite Deployments to be available", async () => {
      const all = await list("Deployment", SQLITE_NAMESPACE, "apps/v1");
      return all.length === 5 && all.every((d) => condition(d, "Available") === "True" && (d.status as any).availableReplicas === 1) ? all : undefined;
    }, { timeoutMs: 180_000, describe: () => pending(SQLITE_NAMESPACE) });
    expect(deployments.map((d) => d.metadata.name).sort()).toEqual(SERVICES);
    for (const pod of await list("Pod", SQLITE_NAMESPACE)) expect((pod.spec as any).nodeName).toBe(FAKE_NODE);
  }, 200_000);

  test("PostgreSQL mode: each autoscaler raises its Deployment (applied with no count) to its minimum, two available", async () => {
    const deployments = await waitFor("the shop's Deployments at two available replicas", async () => {
      const all = await list("Deployment", "shop", "apps/v1");
      return all.length === 5 && all.every((d) => condition(d, "Available") === "True" && (d.status as any).availableReplicas === 2) ? all : undefined;
    }, { timeoutMs: 180_000, describe: () => pending("shop") });
    expect(deployments.map((d) => d.metadata.name).sort()).toEqual(SERVICES);
    for (const d of deployments) expect((d.spec as any).replicas).toBe(2); // 1 by default when applied: the autoscaler's doing
    const autoscalers = await list("HorizontalPodAutoscaler", "shop", "autoscaling/v2");
    expect(autoscalers.map((h) => (h.spec as any).scaleTargetRef.name).sort()).toEqual(SERVICES);
    for (const pod of await list("Pod", "shop")) expect((pod.spec as any).nodeName).toBe(FAKE_NODE);
  }, 200_000);

  test("PostgreSQL mode: each PodDisruptionBudget counts its service's two pods and allows one eviction", async () => {
    const budgets = await waitFor("the budgets to count two healthy pods each", async () => {
      const all = await list("PodDisruptionBudget", "shop", "policy/v1");
      return all.length === 5 && all.every((b) => (b.status as any)?.currentHealthy === 2) ? all : undefined;
    }, { timeoutMs: 120_000, describe: async () => JSON.stringify((await list("PodDisruptionBudget", "shop", "policy/v1")).map((b) => [b.metadata.name, b.status])) });
    for (const b of budgets) expect(b.status).toMatchObject({ expectedPods: 2, desiredHealthy: 1, disruptionsAllowed: 1 });
  }, 150_000);

  test("Kafka's StatefulSet is ready and its topics Job complete", async () => {
    await waitFor("kafka-0 ready", async () => ((await plane.api.read("apps/v1", "StatefulSet", "kafka", "kafka"))?.status as any)?.readyReplicas === 1 || undefined,
      { timeoutMs: 180_000, describe: () => pending("kafka") });
    await waitFor("the kafka-topics Job to complete", async () => condition(await plane.api.read("batch/v1", "Job", "kafka-topics", "kafka"), "Complete") === "True" || undefined,
      { timeoutMs: 180_000, describe: () => pending("kafka") });
  }, 200_000);

  test("each Service's named ports reach its ready pod: http 3000, metrics 9464", async () => {
    for (const service of ["catalog", "cart", "order", "payment", "gateway"]) {
      const slices = await waitFor(`${service}'s EndpointSlice with a ready endpoint`, async () => {
        const all = (await list("EndpointSlice", "shop", "discovery.k8s.io/v1")).filter((s) => s.metadata.labels && (s.metadata.labels as any)["kubernetes.io/service-name"] === service);
        return all.some((s) => ((s as any).endpoints ?? []).some((e: any) => e.conditions?.ready)) ? all : undefined;
      }, { timeoutMs: 60_000 });
      const ports = Object.fromEntries(slices.flatMap((s) => (s as any).ports).map((p: any) => [p.name, p.port]));
      expect(ports).toEqual({ http: 3000, metrics: 9464 });
    }
  }, 120_000);
});

describe("the fake node stays alive", () => {
  test("kwok renews the node's Lease, as a kubelet does (else the node turns NotReady after 40 s)", async () => {
    const renewTime = async () => ((await plane.api.read("coordination.k8s.io/v1", "Lease", FAKE_NODE, "kube-node-lease"))?.spec as any)?.renewTime as string | undefined;
    const first = await waitFor("the node's Lease", renewTime, { timeoutMs: 30_000 });
    const renewed = await waitFor("the Lease renewed", async () => ((await renewTime()) !== first ? true : undefined), { timeoutMs: 30_000 });
    expect(renewed).toBe(true);
  }, 70_000);
});

describe("stopping the control plane", () => {
  test("ends all five processes, closes the API and removes the folder it made", async () => {
    expect(plane.pids).toHaveLength(5);
    await plane.stop();
    for (const pid of plane.pids) expect(() => process.kill(pid, 0)).toThrow(); // ESRCH: gone
    const answer = await fetch(`${plane.server}/readyz`, { tls: { ca: plane.ca }, signal: AbortSignal.timeout(5_000) }).catch((e) => e);
    expect(answer).toBeInstanceOf(Error);
    expect(existsSync(plane.dir)).toBe(false);
  }, 60_000);
});
