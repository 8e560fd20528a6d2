// Reads the stack's Pulumi config into typed settings. Every key is optional: a missing one takes
// the default from settings.ts, or for image and repository from argocd/gitops-settings.json, so a
// direct deploy runs the same images that GitOps currently points at.
import * as pulumi from "@pulumi/pulumi";
import gitopsJson from "../../argocd/gitops-settings.json";
import { parseGitOpsSettings } from "./gitops-files";
import {
  type ArgoSettings,
  type ClusterSettings,
  DATABASE_ENGINES,
  type DatabaseEngine,
  type KafkaSettings,
  type PostgresOperatorSettings,
  type ShopService,
  SHOP_SERVICES,
  type ServiceSettings,
  type WorkloadSettings,
  defaultArgoSettings,
  defaultClusterSettings,
  defaultKafkaSettings,
  defaultPostgresOperatorSettings,
  defaultWorkloadSettings,
} from "./settings";

/** A cluster that already exists, reached with a kubeconfig instead of creating one with kind. */
export interface ExistingCluster {
  /** Its contents or a path to it (what the Kubernetes provider accepts); a secret in the stack's config. */
  kubeconfig: pulumi.Output<string>;
  /** A context of that kubeconfig; its current context when unset. */
  context?: string;
}

export interface StackSettings {
  cluster: ClusterSettings;
  /** Set (config `kubeconfig`): deploy into that cluster, no kind. Unset: a kind cluster (the default). */
  existingCluster?: ExistingCluster;
  /** Helm releases; ingress-nginx's values are kind's, so it defaults to off on an existing cluster. */
  installIngressNginx: boolean;
  /** metrics-server for the autoscalers: on kind in PostgreSQL mode by default (its values are kind's). */
  installMetricsServer: boolean;
  installArgoCd: boolean;
  kafka: KafkaSettings;
  /** PostgreSQL mode: the CloudNativePG operator's Helm release; absent in SQLite mode or by config. */
  postgresOperator?: PostgresOperatorSettings;
  argo: ArgoSettings;
  workloads: WorkloadSettings;
  /** true: Pulumi applies the workloads itself and creates no ArgoCD Application for them. */
  deployWorkloadsDirectly: boolean;
}

/** Per-service overrides in config, e.g. `pulumi config set --path 'replicas.catalog' 1`. */
type PerService<T> = Partial<Record<ShopService, T>>;

const MAX_REPLICAS = 50;

/** The replica counts config asks for, checked against what the engine allows. */
function serviceSettings(
  defaults: Record<ShopService, ServiceSettings>,
  database: DatabaseEngine,
  replicas: PerService<number>,
  maxReplicas: PerService<number>,
): Record<ShopService, ServiceSettings> {
  const services = { ...defaults };
  for (const name of SHOP_SERVICES) {
    const wanted = replicas[name];
    const max = maxReplicas[name];
    for (const [key, value] of [["replicas", wanted], ["maxReplicas", max]] as const) {
      if (value !== undefined && (!Number.isInteger(value) || value < 0 || value > MAX_REPLICAS)) {
        throw new Error(`config ${key}.${name}=${JSON.stringify(value)}: must be a whole number from 0 to ${MAX_REPLICAS}`);
      }
    }
    if (database === "sqlite") {
      // SQLite on a ReadWriteOnce volume has one writer: more replicas need `database: postgres`.
      if (wanted !== undefined && wanted > 1) {
        throw new Error(`config replicas.${name}=${wanted}: only 0 or 1 while the module's data is SQLite (set database: postgres for more)`);
      }
      if (max !== undefined && max > 1) {
        throw new Error(`config maxReplicas.${name}=${max}: SQLite runs at most one replica (set database: postgres to autoscale)`);
      }
    }
    const count = wanted ?? services[name].replicas;
    const ceiling = max ?? Math.max(services[name].maxReplicas, count);
    if (ceiling < count) throw new Error(`config maxReplicas.${name}=${ceiling}: below replicas.${name}=${count}`);
    services[name] = { ...services[name], replicas: count, maxReplicas: ceiling };
  }
  return services;
}

export function loadStackSettings(config = new pulumi.Config()): StackSettings {
  const clusterDefaults = defaultClusterSettings();
  const cluster: ClusterSettings = {
    name: config.get("clusterName") ?? clusterDefaults.name,
    nodeImage: config.get("kindNodeImage") ?? clusterDefaults.nodeImage,
    httpPort: config.getNumber("httpPort") ?? clusterDefaults.httpPort,
    httpsPort: config.getNumber("httpsPort") ?? clusterDefaults.httpsPort,
    ingressNginxChartVersion: config.get("ingressNginxChartVersion") ?? clusterDefaults.ingressNginxChartVersion,
    metricsServerChartVersion: config.get("metricsServerChartVersion") ?? clusterDefaults.metricsServerChartVersion,
  };

  const kafkaDefaults = defaultKafkaSettings();
  const kafka: KafkaSettings = {
    ...kafkaDefaults,
    image: config.get("kafkaImage") ?? kafkaDefaults.image,
    topics: config.getObject<string[]>("kafkaTopics") ?? kafkaDefaults.topics,
    partitions: config.getNumber("kafkaPartitions", { min: 1 }) ?? kafkaDefaults.partitions,
    storage: config.get("kafkaStorage") ?? kafkaDefaults.storage,
  };

  const argoDefaults = defaultArgoSettings();
  const argo: ArgoSettings = {
    namespace: argoDefaults.namespace,
    chartVersion: config.get("argoCdChartVersion") ?? argoDefaults.chartVersion,
    repoUrl: config.get("repoUrl") ?? gitopsJson.repoUrl,
    targetRevision: config.get("targetRevision") ?? gitopsJson.targetRevision,
  };

  // The engine the committed GitOps manifests were rendered for, unless config says otherwise.
  const gitops = parseGitOpsSettings(JSON.stringify(gitopsJson));
  const database = (config.get("database", { allowedValues: [...DATABASE_ENGINES] }) ?? gitops.database) as DatabaseEngine;
  const workloadDefaults = defaultWorkloadSettings(database);
  const services = serviceSettings(
    workloadDefaults.services,
    database,
    config.getObject<PerService<number>>("replicas") ?? {},
    config.getObject<PerService<number>>("maxReplicas") ?? {},
  );
  const workloads: WorkloadSettings = {
    ...workloadDefaults,
    imageRegistry: config.get("imageRegistry") ?? gitopsJson.imageRegistry,
    imageTag: config.get("imageTag") ?? gitopsJson.imageTag,
    containerPort: config.getNumber("containerPort", { min: 1, max: 65535 }) ?? workloadDefaults.containerPort,
    servicePort: config.getNumber("servicePort", { min: 1, max: 65535 }) ?? workloadDefaults.servicePort,
    metricsPort: config.getNumber("metricsPort", { min: 1, max: 65535 }) ?? workloadDefaults.metricsPort,
    storageClassName: config.get("storageClassName") ?? workloadDefaults.storageClassName,
    ingressClassName: config.get("ingressClassName") ?? workloadDefaults.ingressClassName,
    logLevel: (config.get("logLevel", { allowedValues: ["debug", "info", "warn", "error"] }) ??
      workloadDefaults.logLevel) as WorkloadSettings["logLevel"],
    ingressHost: config.get("ingressHost") ?? workloadDefaults.ingressHost,
    postgres: {
      ...workloadDefaults.postgres,
      instances: config.getNumber("postgresInstances", { min: 1, max: 9 }) ?? workloadDefaults.postgres.instances,
      storage: config.get("postgresStorage") ?? workloadDefaults.postgres.storage,
    },
    targetCpuUtilization:
      config.getNumber("targetCpuUtilization", { min: 1, max: 100 }) ?? workloadDefaults.targetCpuUtilization,
    services,
  };

  if (workloads.metricsPort === workloads.containerPort) {
    throw new Error(`config metricsPort=${workloads.metricsPort}: must differ from containerPort (metrics stay off the public port)`);
  }

  const kubeconfig = config.getSecret("kubeconfig");
  const existingCluster = kubeconfig ? { kubeconfig, context: config.get("kubeContext") } : undefined;
  return {
    cluster,
    existingCluster,
    installIngressNginx: config.getBoolean("installIngressNginx") ?? !existingCluster,
    installMetricsServer: config.getBoolean("installMetricsServer") ?? (!existingCluster && database === "postgres"),
    installArgoCd: config.getBoolean("installArgoCd") ?? true,
    kafka,
    postgresOperator:
      database === "postgres" && (config.getBoolean("installPostgresOperator") ?? true)
        ? {
            ...defaultPostgresOperatorSettings(),
            chartVersion: config.get("postgresOperatorChartVersion") ?? defaultPostgresOperatorSettings().chartVersion,
          }
        : undefined,
    argo,
    workloads,
    deployWorkloadsDirectly: config.getBoolean("deployWorkloadsDirectly") ?? false,
  };
}
