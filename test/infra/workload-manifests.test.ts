// The pure builders: what every shop Deployment must carry, whatever the settings.
import { describe, expect, test } from "bun:test";
import { ensureInfraDeps, importInfra } from "./support/infra-deps";

await ensureInfraDeps();
const { POD_NETWORK, buildWorkloadManifests, serviceUrl } = await importInfra<typeof import("../../infra/src/workloads")>("src/workloads");
const { buildKafkaManifests, kafkaBootstrap } = await importInfra<typeof import("../../infra/src/kafka")>("src/kafka");
const { SHOP_SERVICES, defaultKafkaSettings, defaultWorkloadSettings } = await importInfra<typeof import("../../infra/src/settings")>("src/settings");

const { loadConfig } = await import("../../src/platform/config");

const settings = { ...defaultWorkloadSettings("sqlite"), imageRegistry: "ghcr.io/acme", imageTag: "abc123" };
const objects = buildWorkloadManifests(settings);
const byKind = (kind: string) => objects.filter((o) => o.kind === kind);
const find = (kind: string, name: string) => {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name}`);
  return found as any;
};

describe("shop workloads", () => {
  test("one Deployment, Service and PersistentVolumeClaim per service, one Ingress", () => {
    expect(byKind("Deployment").map((o) => o.metadata.name).sort()).toEqual([...SHOP_SERVICES].sort());
    expect(byKind("Service").map((o) => o.metadata.name).sort()).toEqual([...SHOP_SERVICES].sort());
    expect(byKind("PersistentVolumeClaim").map((o) => o.metadata.name).sort()).toEqual(
      SHOP_SERVICES.map((s) => `${s}-data`).sort(),
    );
    expect(byKind("Ingress").map((o) => o.metadata.name)).toEqual(["gateway"]);
    expect(objects.every((o) => o.metadata.namespace === "shop")).toBe(true);
  });

  for (const service of SHOP_SERVICES) {
    test(`${service}: image, replicas, probes, limits, security, volume, shutdown`, () => {
      const deployment = find("Deployment", service);
      const pod = deployment.spec.template.spec;
      const [container] = pod.containers;
      expect(container.image).toBe(`ghcr.io/acme/bun-shop-${service}:abc123`);
      expect(deployment.spec.replicas).toBe(1); // SQLite: one writer
      expect(deployment.spec.strategy.type).toBe("Recreate");
      expect(container.livenessProbe.httpGet.path).toBe("/health/live");
      expect(container.readinessProbe.httpGet.path).toBe("/health/ready");
      expect(container.startupProbe.httpGet.path).toBe("/health/live");
      expect(container.resources.requests.cpu).toBeTruthy();
      expect(container.resources.requests.memory).toBeTruthy();
      expect(container.resources.limits.cpu).toBeTruthy();
      expect(container.resources.limits.memory).toBeTruthy();
      expect(pod.securityContext.runAsNonRoot).toBe(true);
      expect(container.securityContext).toEqual({
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ["ALL"] },
      });
      expect(pod.volumes).toContainEqual({ name: "data", persistentVolumeClaim: { claimName: `${service}-data` } });
      expect(container.volumeMounts).toContainEqual({ name: "data", mountPath: "/data" });
      expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(15); // the app's own drain deadline
      expect(container.lifecycle.preStop.exec.command[0]).toBe("sleep");
      // The selector must match the pod's labels, and the Service must select the same pods.
      for (const [k, v] of Object.entries(deployment.spec.selector.matchLabels)) {
        expect(deployment.spec.template.metadata.labels[k]).toBe(v);
      }
      expect(find("Service", service).spec.selector).toEqual(deployment.spec.selector.matchLabels);
    });

    test(`${service}: environment from config, secrets from the Secret`, () => {
      const env = find("Deployment", service).spec.template.spec.containers[0].env as any[];
      const value = (name: string) => env.find((e) => e.name === name);
      expect(value("NODE_ENV").value).toBe("production");
      expect(value("PORT").value).toBe("3000");
      expect(value("DATA_DIR").value).toBe("/data");
      expect(value("KAFKA_BROKERS").value).toBe(kafkaBootstrap(defaultKafkaSettings()));
      expect(value("IDENTITY_URL").value).toBe(serviceUrl(settings, "gateway"));
      expect(value("TRUSTED_PROXIES").value).toBe(POD_NETWORK);
      for (const secret of ["TOKEN_SECRET", "DEMO_ALICE_PASSWORD", "DEMO_BOB_PASSWORD", "DEMO_OPS_PASSWORD"]) {
        expect(value(secret).valueFrom.secretKeyRef).toEqual({ name: "shop-secrets", key: secret });
        expect(value(secret).value).toBeUndefined();
      }
      if (service === "gateway") {
        for (const m of ["catalog", "cart", "order", "payment"] as const) {
          expect(value(`${m.toUpperCase()}_URL`).value).toBe(serviceUrl(settings, m));
        }
      }
    });
  }

  test("metrics on their own port (METRICS_PORT), named, announced to scrapers; the Ingress routes only http", () => {
    for (const service of SHOP_SERVICES) {
      const template = find("Deployment", service).spec.template;
      const [container] = template.spec.containers;
      expect(container.env).toContainEqual({ name: "METRICS_PORT", value: "9464" });
      expect(container.ports).toEqual([
        { name: "http", containerPort: 3000, protocol: "TCP" },
        { name: "metrics", containerPort: 9464, protocol: "TCP" },
      ]);
      expect(template.metadata.annotations).toEqual({
        "prometheus.io/scrape": "true",
        "prometheus.io/port": "9464",
        "prometheus.io/path": "/metrics",
      });
      expect(find("Service", service).spec.ports).toContainEqual({ name: "metrics", port: 9464, targetPort: "metrics", protocol: "TCP" });
    }
    expect(find("Ingress", "gateway").spec.rules[0].http.paths.map((p: any) => p.backend.service.port)).toEqual([{ name: "http" }]);
    // One setting moves all four places together.
    const moved = buildWorkloadManifests({ ...settings, metricsPort: 9100 }).find((o) => o.kind === "Deployment") as any;
    expect(moved.spec.template.metadata.annotations["prometheus.io/port"]).toBe("9100");
    expect(moved.spec.template.spec.containers[0].env).toContainEqual({ name: "METRICS_PORT", value: "9100" });
  });

  test("the gateway's Ingress routes everything to the gateway Service", () => {
    const ingress = find("Ingress", "gateway");
    expect(ingress.spec.ingressClassName).toBe("nginx");
    expect(ingress.spec.rules[0].http.paths[0].backend.service.name).toBe("gateway");
    const withHost = buildWorkloadManifests({ ...settings, ingressHost: "shop.example.test" });
    expect((withHost.find((o) => o.kind === "Ingress") as any).spec.rules[0].host).toBe("shop.example.test");
  });

  test("service URLs point at the Services' DNS names", () => {
    expect(serviceUrl(settings, "catalog")).toBe("http://catalog.shop.svc.cluster.local");
    expect(serviceUrl({ ...settings, servicePort: 8080 }, "order")).toBe("http://order.shop.svc.cluster.local:8080");
  });
});

describe("shop workloads on PostgreSQL", () => {
  const postgres = { ...defaultWorkloadSettings("postgres"), imageRegistry: "ghcr.io/acme", imageTag: "abc123" };
  const pgObjects = buildWorkloadManifests(postgres);
  const pgFind = (kind: string, name: string) => pgObjects.find((o) => o.kind === kind && o.metadata.name === name) as any;
  const envOf = (service: string) => pgFind("Deployment", service).spec.template.spec.containers[0].env as any[];

  /** What the kubelet does with `$(NAME)` in a value: the variables listed before it, from their sources. */
  const expand = (env: any[], secret: Record<string, string>) => {
    const out: Record<string, string> = {};
    for (const e of env) {
      out[e.name] = e.valueFrom ? secret[e.valueFrom.secretKeyRef.key] ?? "" : e.value.replace(/\$\((\w+)\)/g, (_: string, n: string) => out[n] ?? `$(${n})`);
    }
    return out;
  };

  test("no volume claim; a Deployment, Service, PodDisruptionBudget and autoscaler per service", () => {
    expect(pgObjects.filter((o) => o.kind === "PersistentVolumeClaim")).toEqual([]);
    for (const kind of ["Deployment", "Service", "PodDisruptionBudget", "HorizontalPodAutoscaler"]) {
      expect(pgObjects.filter((o) => o.kind === kind).map((o) => o.metadata.name).sort()).toEqual([...SHOP_SERVICES].sort());
    }
  });

  for (const service of SHOP_SERVICES) {
    test(`${service}: the autoscaler owns the count, the budget lets one pod go, rollouts surge`, () => {
      const deployment = pgFind("Deployment", service);
      expect(deployment.spec.replicas).toBeUndefined();
      expect(deployment.spec.strategy).toEqual({ type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
      expect(deployment.spec.template.spec.volumes).toContainEqual({ name: "data", emptyDir: { sizeLimit: "64Mi" } });
      const hpa = pgFind("HorizontalPodAutoscaler", service);
      expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: "apps/v1", kind: "Deployment", name: service });
      expect(hpa.spec).toMatchObject({ minReplicas: 2, maxReplicas: 4 });
      expect(hpa.spec.metrics).toEqual([{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } } }]);
      // Utilization is against the request: without one the autoscaler cannot compute it.
      expect(deployment.spec.template.spec.containers[0].resources.requests.cpu).toMatch(/^\d+m?$/);
      const pdb = pgFind("PodDisruptionBudget", service);
      expect(pdb.spec.maxUnavailable).toBe(1);
      expect(pdb.spec.selector).toEqual(deployment.spec.selector);
    });
  }

  test("each service gets its own database's URL from the operator's Secret, and the app accepts it", () => {
    const owned = { catalog: "CATALOG", cart: "CART", order: "ORDER", payment: "PAYMENT", gateway: "IDENTITY" } as const;
    const secret = { username: "shop", password: "Zq7sWx0pLk3v9Rt2" }; // the operator makes letters and digits
    for (const service of SHOP_SERVICES) {
      const env = envOf(service);
      const urls = env.filter((e) => e.name.endsWith("_DATABASE_URL")).map((e) => e.name);
      expect(urls).toEqual([`${owned[service]}_DATABASE_URL`]);
      for (const key of ["username", "password"]) {
        expect(env.find((e) => e.valueFrom?.secretKeyRef?.key === key).valueFrom.secretKeyRef.name).toBe("shop-postgres-app");
      }
      const expanded = expand(env, secret);
      const database = owned[service].toLowerCase();
      expect(expanded[`${owned[service]}_DATABASE_URL`]).toBe(
        `postgres://shop:${secret.password}@shop-postgres-rw.shop.svc.cluster.local:5432/${database}?sslmode=require`,
      );
      // The app's own configuration reads it as that module's PostgreSQL database.
      const config = loadConfig({ ...expanded, TOKEN_SECRET: "k".repeat(40), DEMO_ALICE_PASSWORD: "alice-pw", DEMO_BOB_PASSWORD: "bob-pw-1", DEMO_OPS_PASSWORD: "ops-pw-1", METRICS_PORT: "9464" });
      expect(config.databases[database as keyof typeof config.databases]).toMatchObject({ engine: "postgres", schema: database });
    }
  });

  test("SQLite keeps one replica and no budget or autoscaler; PostgreSQL with 0 replicas has neither either", () => {
    const sqlite = buildWorkloadManifests(defaultWorkloadSettings("sqlite"));
    expect(sqlite.filter((o) => o.kind === "PodDisruptionBudget" || o.kind === "HorizontalPodAutoscaler")).toEqual([]);
    const off = { ...postgres, services: { ...postgres.services, payment: { ...postgres.services.payment, replicas: 0 } } };
    const offObjects = buildWorkloadManifests(off).filter((o) => o.metadata.name === "payment");
    expect(offObjects.map((o) => o.kind).sort()).toEqual(["Deployment", "Service"]);
    expect((offObjects.find((o) => o.kind === "Deployment") as any).spec.replicas).toBe(0);
  });
});

describe("kafka", () => {
  const kafka = buildKafkaManifests(defaultKafkaSettings()) as any[];
  const statefulSet = kafka.find((o) => o.kind === "StatefulSet");
  const env = Object.fromEntries(statefulSet.spec.template.spec.containers[0].env.map((e: any) => [e.name, e.value]));

  test("KRaft: broker and controller in one node, no ZooKeeper", () => {
    expect(env.KAFKA_PROCESS_ROLES).toBe("broker,controller");
    expect(env.CLUSTER_ID).toBeTruthy();
    expect(Object.keys(env).some((k) => k.includes("ZOOKEEPER"))).toBe(false);
    expect(statefulSet.spec.template.spec.containers[0].image).toStartWith("apache/kafka:");
    expect(statefulSet.spec.template.spec.enableServiceLinks).toBe(false);
  });

  test("persistent log dir on a volume claim template", () => {
    expect(statefulSet.spec.volumeClaimTemplates[0].metadata.name).toBe("data");
    expect(env.KAFKA_LOG_DIRS).toStartWith("/var/lib/kafka/data");
  });

  test("a Job creates every configured topic, idempotently", () => {
    const job = kafka.find((o) => o.kind === "Job");
    const script = job.spec.template.spec.containers[0].command.join(" ");
    for (const topic of defaultKafkaSettings().topics) expect(script).toContain(`--topic ${topic} `);
    expect(script).toContain("--if-not-exists");
    const custom = buildKafkaManifests({ ...defaultKafkaSettings(), topics: ["product", "order"] }) as any[];
    const customScript = custom.find((o) => o.kind === "Job").spec.template.spec.containers[0].command.join(" ");
    expect(customScript).not.toContain("--topic payment ");
  });

  test("the shop's default brokers are this StatefulSet's advertised address", () => {
    expect(defaultWorkloadSettings().kafkaBrokers).toEqual([kafkaBootstrap(defaultKafkaSettings())]);
    expect(env.KAFKA_ADVERTISED_LISTENERS).toBe(`PLAINTEXT://${kafkaBootstrap(defaultKafkaSettings())}`);
  });
});
