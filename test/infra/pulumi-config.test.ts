// Stack config: typed defaults when a key is unset, overrides when set, and refusals that protect
// SQLite (more than one replica), while PostgreSQL mode takes any count.
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT, ensureInfraDeps, importInfra } from "./support/infra-deps";

await ensureInfraDeps();
const { installPulumiMocks } = await import("./support/pulumi-mocks");
const { loadStackSettings } = await importInfra<typeof import("../../infra/src/stack-config")>("src/stack-config");
const settings = await importInfra<typeof import("../../infra/src/settings")>("src/settings");
const pulumi = await importInfra<typeof import("../../infra/node_modules/@pulumi/pulumi")>("node_modules/@pulumi/pulumi");

const load = (config: Record<string, string>) => {
  installPulumiMocks(config);
  return loadStackSettings(new pulumi.Config("bun-shop-infra"));
};
const gitops = JSON.parse(readFileSync(join(REPO_ROOT, "argocd/gitops-settings.json"), "utf8"));

describe("stack config", () => {
  test("defaults: settings.ts, and image and repository from argocd/gitops-settings.json", () => {
    const s = load({});
    expect(s.deployWorkloadsDirectly).toBe(false);
    expect(s.cluster).toEqual(settings.defaultClusterSettings());
    expect(s.kafka).toEqual(settings.defaultKafkaSettings());
    expect(s.argo.repoUrl).toBe(gitops.repoUrl);
    expect(s.argo.targetRevision).toBe(gitops.targetRevision);
    expect(s.argo.chartVersion).toBe(settings.defaultArgoSettings().chartVersion);
    expect(gitops.database).toBe("postgres");
    expect(s.workloads).toEqual({
      ...settings.defaultWorkloadSettings(gitops.database),
      imageRegistry: gitops.imageRegistry,
      imageTag: gitops.imageTag,
    });
    expect(s.postgresOperator).toEqual(settings.defaultPostgresOperatorSettings());
    for (const service of settings.SHOP_SERVICES) {
      expect(s.workloads.services[service]).toMatchObject({ replicas: 2, maxReplicas: 4 });
    }
  });

  test("database: sqlite runs one replica of each service and installs no operator", () => {
    const s = load({ database: "sqlite" });
    expect(s.workloads.database).toBe("sqlite");
    expect(s.postgresOperator).toBeUndefined();
    for (const service of settings.SHOP_SERVICES) {
      expect(s.workloads.services[service]).toMatchObject({ replicas: 1, maxReplicas: 1 });
    }
    expect(() => load({ database: "mysql" })).toThrow();
  });

  test("overrides, typed", () => {
    const s = load({
      clusterName: "dev",
      httpPort: "8080",
      imageTag: "sha-abc",
      imageRegistry: "ghcr.io/acme",
      repoUrl: "https://example.test/fork.git",
      deployWorkloadsDirectly: "true",
      kafkaTopics: JSON.stringify(["product", "order"]),
      kafkaPartitions: "1",
      replicas: JSON.stringify({ payment: 0, order: 3 }),
      maxReplicas: JSON.stringify({ order: 8 }),
      logLevel: "debug",
      postgresInstances: "3",
      installPostgresOperator: "false",
    });
    expect(s.cluster.name).toBe("dev");
    expect(s.cluster.httpPort).toBe(8080);
    expect(s.workloads.imageTag).toBe("sha-abc");
    expect(s.workloads.imageRegistry).toBe("ghcr.io/acme");
    expect(s.argo.repoUrl).toBe("https://example.test/fork.git");
    expect(s.deployWorkloadsDirectly).toBe(true);
    expect(s.kafka.topics).toEqual(["product", "order"]);
    expect(s.kafka.partitions).toBe(1);
    expect(s.workloads.services.payment.replicas).toBe(0);
    expect(s.workloads.services.order).toMatchObject({ replicas: 3, maxReplicas: 8 });
    expect(s.workloads.services.catalog).toMatchObject({ replicas: 2, maxReplicas: 4 });
    expect(s.workloads.postgres.instances).toBe(3);
    expect(s.postgresOperator).toBeUndefined(); // already in the cluster
    expect(s.workloads.logLevel).toBe("debug");
  });

  test("kind by default; an existing cluster when a kubeconfig is set, without ingress-nginx unless asked", async () => {
    const kind = load({});
    expect(kind.existingCluster).toBeUndefined();
    expect(kind.installIngressNginx).toBe(true);
    expect(kind.installArgoCd).toBe(true);
    const existing = load({ kubeconfig: "/home/me/.kube/config", kubeContext: "staging", installArgoCd: "false" });
    expect(existing.existingCluster?.context).toBe("staging");
    expect(await pulumi.isSecret(existing.existingCluster!.kubeconfig)).toBe(true);
    expect(existing.installIngressNginx).toBe(false);
    expect(existing.installArgoCd).toBe(false);
    expect(kind.installMetricsServer).toBe(true); // kind, PostgreSQL mode: the autoscalers need it
    expect(existing.installMetricsServer).toBe(false);
    expect(load({ database: "sqlite" }).installMetricsServer).toBe(false);
    expect(load({ kubeconfig: "x", installIngressNginx: "true" }).installIngressNginx).toBe(true);
  });

  test("metrics, storage class and ingress class from config; metrics never on the public port", () => {
    const s = load({ metricsPort: "9100", storageClassName: "gp3", ingressClassName: "traefik" });
    expect(s.workloads.metricsPort).toBe(9100);
    expect(s.workloads.storageClassName).toBe("gp3");
    expect(s.workloads.ingressClassName).toBe("traefik");
    expect(() => load({ metricsPort: "3000" })).toThrow(/metricsPort=3000: must differ from containerPort/);
  });

  test("refuses more than one replica while the data is SQLite", () => {
    const sqlite = (config: Record<string, string>) => load({ database: "sqlite", ...config });
    expect(() => sqlite({ replicas: JSON.stringify({ order: 2 }) })).toThrow(/only 0 or 1 while the module's data is SQLite/);
    expect(() => sqlite({ maxReplicas: JSON.stringify({ cart: 3 }) })).toThrow(/maxReplicas.cart=3: SQLite runs at most one replica/);
    expect(sqlite({ replicas: JSON.stringify({ order: 0 }) }).workloads.services.order.replicas).toBe(0);
  });

  test("PostgreSQL: more than one replica for every service; nonsense counts refused", () => {
    const many = Object.fromEntries(settings.SHOP_SERVICES.map((s) => [s, 5]));
    const s = load({ database: "postgres", replicas: JSON.stringify(many) });
    for (const service of settings.SHOP_SERVICES) {
      // The maximum follows a count above the default one.
      expect(s.workloads.services[service]).toMatchObject({ replicas: 5, maxReplicas: 5 });
    }
    expect(() => load({ replicas: JSON.stringify({ order: 2.5 }) })).toThrow(/replicas.order=2.5: must be a whole number/);
    expect(() => load({ replicas: JSON.stringify({ order: -1 }) })).toThrow(/replicas.order=-1/);
    expect(() => load({ replicas: JSON.stringify({ order: "two" }) })).toThrow(/replicas.order="two"/);
    expect(() => load({ replicas: JSON.stringify({ order: 3 }), maxReplicas: JSON.stringify({ order: 2 }) })).toThrow(
      /maxReplicas.order=2: below replicas.order=3/,
    );
  });

  test("refuses bad typed values", () => {
    expect(() => load({ httpPort: "eighty" })).toThrow();
    expect(() => load({ logLevel: "loud" })).toThrow();
    expect(() => load({ deployWorkloadsDirectly: "maybe" })).toThrow();
  });

  test("Pulumi.local.yaml sets only known keys", () => {
    const known = [
      "clusterName", "kindNodeImage", "httpPort", "httpsPort", "ingressNginxChartVersion", "kafkaImage",
      "kafkaTopics", "kafkaPartitions", "kafkaStorage", "argoCdChartVersion", "repoUrl", "targetRevision",
      "imageRegistry", "imageTag", "containerPort", "servicePort", "logLevel", "ingressHost", "replicas",
      "deployWorkloadsDirectly", "tokenSecret", "demoAlicePassword", "demoBobPassword", "demoOpsPassword",
      "metricsPort", "storageClassName", "ingressClassName", "kubeconfig", "kubeContext", "installIngressNginx", "installArgoCd",
      "database", "maxReplicas", "postgresInstances", "postgresStorage", "targetCpuUtilization", "installPostgresOperator",
      "postgresOperatorChartVersion", "installMetricsServer", "metricsServerChartVersion",
    ];
    const source = readFileSync(join(REPO_ROOT, "infra/src/stack-config.ts"), "utf8") +
      readFileSync(join(REPO_ROOT, "infra/src/shop-secrets.ts"), "utf8");
    for (const key of known) expect(source).toContain(`"${key}"`); // the list matches the code
    const stackFile = readFileSync(join(REPO_ROOT, "infra/Pulumi.local.yaml"), "utf8");
    const keys = [...stackFile.matchAll(/^\s+bun-shop-infra:(\w+):/gm)].map((m) => m[1]);
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) expect(known).toContain(key!);
  });
});
