// Stack config: typed defaults when a key is unset, overrides when set, and refusals that protect
// SQLite (more than one replica).
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
    expect(s.workloads).toEqual({
      ...settings.defaultWorkloadSettings(),
      imageRegistry: gitops.imageRegistry,
      imageTag: gitops.imageTag,
    });
    for (const service of settings.SHOP_SERVICES) expect(s.workloads.services[service].replicas).toBe(1);
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
      replicas: JSON.stringify({ payment: 0 }),
      logLevel: "debug",
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
    expect(s.workloads.services.catalog.replicas).toBe(1);
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
    expect(() => load({ replicas: JSON.stringify({ order: 2 }) })).toThrow(/only 0 or 1 while the module's data is SQLite/);
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
