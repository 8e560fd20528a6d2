// Typed settings with their defaults, shared by the Pulumi program and the GitOps generator.
// Pure data: no Pulumi import here, so the generator and the tests load it without an engine.

import { SHOP_TOPICS } from "../../src/platform/events/topics";

export const SHOP_SERVICES = ["catalog", "cart", "order", "payment", "gateway"] as const;
export type ShopService = (typeof SHOP_SERVICES)[number];

/** The business modules; the gateway is not one of them but is deployed the same way. */
export const SHOP_MODULES = ["catalog", "cart", "order", "payment"] as const;

/**
 * Where the modules keep their data. sqlite: a file per module on the service's ReadWriteOnce volume,
 * so one replica each. postgres: a database per module in the CloudNativePG cluster the stack
 * installs, so any number of replicas, with a PodDisruptionBudget and a HorizontalPodAutoscaler each.
 */
export const DATABASE_ENGINES = ["sqlite", "postgres"] as const;
export type DatabaseEngine = (typeof DATABASE_ENGINES)[number];

/** The database each service owns (its <MODULE>_DATABASE_URL); the gateway owns identity. */
export const SERVICE_DATABASES: Record<ShopService, string> = {
  catalog: "catalog",
  cart: "cart",
  order: "order",
  payment: "payment",
  gateway: "identity",
};

export interface Resources {
  requests: { cpu: string; memory: string };
  limits: { cpu: string; memory: string };
}

export interface ServiceSettings {
  /**
   * SQLite: 0 or 1, since the module's data is a file on a ReadWriteOnce volume and a second replica
   * would be a second writer. PostgreSQL: any number; it is the autoscaler's minimum.
   */
  replicas: number;
  /** PostgreSQL only: the autoscaler's maximum (at least `replicas`). */
  maxReplicas: number;
  resources: Resources;
  /** Size of the PersistentVolumeClaim that holds this service's SQLite files. */
  storage: string;
}

export interface WorkloadSettings {
  namespace: string;
  /** Registry and owner, e.g. ghcr.io/acme; images are <registry>/<imagePrefix>-<service>:<tag>. */
  imageRegistry: string;
  imagePrefix: string;
  imageTag: string;
  imagePullPolicy: "Always" | "IfNotPresent" | "Never";
  /** The port every process listens on (PORT). */
  containerPort: number;
  /** The port each Service exposes inside the cluster. */
  servicePort: number;
  /** The port /metrics is served on (METRICS_PORT), apart from the public one; Services expose it too. */
  metricsPort: number;
  /** Kafka bootstrap servers, host:port. */
  kafkaBrokers: string[];
  logLevel: "debug" | "info" | "warn" | "error";
  /** Secret (created outside GitOps) with TOKEN_SECRET and DEMO_*_PASSWORD keys. */
  secretName: string;
  /** Host of the gateway's Ingress; empty means any host (http://localhost/ on kind). */
  ingressHost: string;
  ingressClassName: string;
  /** Seconds between SIGTERM and SIGKILL; the app itself gives up after 15 s. */
  terminationGracePeriodSeconds: number;
  /** Seconds the preStop hook waits so the endpoint is removed before SIGTERM arrives. */
  preStopSleepSeconds: number;
  storageClassName: string;
  database: DatabaseEngine;
  /** PostgreSQL mode: the cluster every module's database lives in. */
  postgres: PostgresSettings;
  /** PostgreSQL mode: the autoscalers' target, average CPU use as a percentage of the pods' requests. */
  targetCpuUtilization: number;
  services: Record<ShopService, ServiceSettings>;
}

/** The shop's CloudNativePG Cluster, in the shop's namespace (its Secrets must be next to the pods). */
export interface PostgresSettings {
  /** Its Services are <name>-rw (the primary) and its credentials Secret <name>-app (the operator makes both). */
  clusterName: string;
  /** PostgreSQL instances: one primary, the rest streaming standbys the operator fails over to. */
  instances: number;
  storage: string;
  /** The role initdb creates and that owns every module's database; its password is the operator's. */
  owner: string;
  resources: Resources;
}

/** The CloudNativePG operator, installed from its Helm chart in PostgreSQL mode. */
export interface PostgresOperatorSettings {
  namespace: string;
  /** Chart 0.26.0 installs operator 1.27.0 (the Database CRD came in 1.25). */
  chartVersion: string;
}

export interface KafkaSettings {
  namespace: string;
  image: string;
  /** Topics, one per aggregate type that publishes events. */
  topics: string[];
  partitions: number;
  storage: string;
  /** KRaft cluster id (base64 UUID); fixed so a restarted pod finds its formatted log dir. */
  clusterId: string;
}

export interface ArgoSettings {
  namespace: string;
  chartVersion: string;
  repoUrl: string;
  targetRevision: string;
}

export interface ClusterSettings {
  name: string;
  /** kindest/node image; pinning it keeps the Kubernetes version stable between runs. */
  nodeImage: string;
  httpPort: number;
  httpsPort: number;
  ingressNginxChartVersion: string;
  /** metrics-server: the CPU use the autoscalers read (kind ships none). */
  metricsServerChartVersion: string;
}

const smallService = (memoryLimit = "256Mi"): ServiceSettings => ({
  replicas: 1,
  maxReplicas: 1,
  resources: { requests: { cpu: "50m", memory: "96Mi" }, limits: { cpu: "500m", memory: memoryLimit } },
  storage: "1Gi",
});

/** In PostgreSQL mode each service runs two replicas (one may go, the other serves) and scales to four. */
export const POSTGRES_REPLICAS = { replicas: 2, maxReplicas: 4 } as const;

export function defaultWorkloadSettings(database: DatabaseEngine = "sqlite"): WorkloadSettings {
  const replicas = database === "postgres" ? POSTGRES_REPLICAS : { replicas: 1, maxReplicas: 1 };
  const service = (memoryLimit?: string) => ({ ...smallService(memoryLimit), ...replicas });
  return {
    namespace: "shop",
    imageRegistry: "ghcr.io/your-org",
    imagePrefix: "bun-shop",
    imageTag: "latest",
    imagePullPolicy: "IfNotPresent",
    containerPort: 3000,
    servicePort: 80,
    metricsPort: 9464,
    kafkaBrokers: ["kafka-0.kafka-headless.kafka.svc.cluster.local:9092"],
    logLevel: "info",
    secretName: "shop-secrets",
    ingressHost: "",
    ingressClassName: "nginx",
    terminationGracePeriodSeconds: 30,
    preStopSleepSeconds: 5,
    storageClassName: "standard",
    database,
    postgres: {
      clusterName: "shop-postgres",
      instances: 2,
      storage: "5Gi",
      owner: "shop",
      resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "1", memory: "1Gi" } },
    },
    targetCpuUtilization: 70,
    services: {
      catalog: service(),
      cart: service(),
      order: service(),
      payment: service(),
      gateway: service("384Mi"),
    },
  };
}

export function defaultPostgresOperatorSettings(): PostgresOperatorSettings {
  return { namespace: "cnpg-system", chartVersion: "0.26.0" };
}

export function defaultKafkaSettings(): KafkaSettings {
  return {
    namespace: "kafka",
    // Same Kafka line as the broker the tests run (scripts/kafka/pom.xml).
    image: "apache/kafka:3.9.1",
    topics: [...SHOP_TOPICS], // the names the services use (one source: src/platform/events/topics.ts)
    partitions: 3,
    storage: "2Gi",
    clusterId: "5L6g3nShT-eMCtK--X86sw",
  };
}

export function defaultArgoSettings(): ArgoSettings {
  return {
    namespace: "argocd",
    chartVersion: "7.7.14",
    repoUrl: "https://github.com/your-org/bun-shop.git",
    targetRevision: "main",
  };
}

export function defaultClusterSettings(): ClusterSettings {
  return {
    name: "bun-shop",
    nodeImage: "kindest/node:v1.32.2",
    httpPort: 80,
    httpsPort: 443,
    ingressNginxChartVersion: "4.12.0",
    metricsServerChartVersion: "3.12.2",
  };
}

export function imageFor(settings: WorkloadSettings, service: ShopService): string {
  return `${settings.imageRegistry}/${settings.imagePrefix}-${service}:${settings.imageTag}`;
}
