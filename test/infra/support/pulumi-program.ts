// Runs the Pulumi program under the mocks (no engine, no cluster) and hands back what it registered:
// for the graph tests, and for the control-plane test, which applies those objects to a real server.
import { importInfra } from "./infra-deps";
import { type Registered, installPulumiMocks, parseUrn, registeredUrn, registeredUrns } from "./pulumi-mocks";

type Platform = ReturnType<typeof import("../../../infra/src/stack").createShopPlatform>;

/** Every resource the platform exposes, so a run can wait until each is registered. */
function resourcesOf(platform: Platform) {
  const { cluster, kafka, argoCd, postgresOperator, shop } = platform;
  return [
    cluster, cluster.provider, ...(cluster.kind ? [cluster.kind] : []), ...(cluster.ingressNginx ? [cluster.ingressNginx] : []),
    ...(cluster.metricsServer ? [cluster.metricsServer] : []),
    kafka, kafka.namespace, ...kafka.services, kafka.statefulSet, kafka.topicsJob,
    ...(argoCd ? [argoCd, argoCd.release] : []),
    ...(postgresOperator ? [postgresOperator, postgresOperator.release] : []),
    shop, shop.namespace, shop.secret,
    ...(shop.postgresCluster ? [shop.postgresCluster, ...shop.postgresDatabases] : []),
    ...shop.workloads.flatMap((w) => [w.claim, w.deployment, w.service, w.disruptionBudget, w.autoscaler].filter((r) => r !== undefined)),
    ...(shop.ingress ? [shop.ingress] : []),
    ...(shop.rootApplication ? [shop.rootApplication] : []),
  ];
}

export async function runProgram(config: Record<string, string>) {
  const registered = installPulumiMocks(config);
  const { loadStackSettings } = await importInfra<typeof import("../../../infra/src/stack-config")>("src/stack-config");
  const { createShopPlatform } = await importInfra<typeof import("../../../infra/src/stack")>("src/stack");
  const platform = createShopPlatform(loadStackSettings());
  await Promise.all(resourcesOf(platform).map(registeredUrn));
  return { registered, platform, urns: registeredUrns().map(parseUrn) };
}

export type ProgramRun = Awaited<ReturnType<typeof runProgram>>;

// How Pulumi's RPC layer marks a secret value.
const SIG = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

function unwrapSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(unwrapSecrets);
  if (value && typeof value === "object") {
    const record = value as Record<string, unknown>;
    if (record[SIG] === SECRET_SIG) return unwrapSecrets(record.value);
    return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, unwrapSecrets(v)]));
  }
  return value;
}

/** The Kubernetes objects a run would create through the provider (Helm releases aside), as plain objects. */
export function kubernetesObjectsOf(registered: Registered[]) {
  return registered
    .filter((r) => r.type.startsWith("kubernetes:") && r.type !== "kubernetes:helm.sh/v3:Release")
    .map((r) => unwrapSecrets(r.inputs) as { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } });
}
