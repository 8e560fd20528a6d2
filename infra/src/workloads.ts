// The shop's workloads as plain Kubernetes objects: per service a Deployment and a Service, plus with
// SQLite a PersistentVolumeClaim for its files, or with PostgreSQL a PodDisruptionBudget and a
// HorizontalPodAutoscaler; and an Ingress for the gateway. The single source of truth for both the Pulumi program
// (deployWorkloadsDirectly) and the GitOps manifests under argocd/apps/ (scripts/generate-manifests.ts).
import {
  type Deployment,
  type HorizontalPodAutoscaler,
  type Ingress,
  type K8sObject,
  type PersistentVolumeClaim,
  type PodDisruptionBudget,
  type Service,
  labelsFor,
} from "./k8s-object";
import { appSecretName, primaryHost } from "./postgres";
import { SERVICE_DATABASES, SHOP_MODULES, SHOP_SERVICES, type ShopService, type WorkloadSettings, imageFor } from "./settings";

const DATA_DIR = "/data";
/**
 * kind's pod network (its default podSubnet): the ingress controller and the gateway are pods in
 * it, and their X-Forwarded-For names the client for the per-address limits.
 */
export const POD_NETWORK = "10.244.0.0/16";

export function serviceUrl(settings: WorkloadSettings, service: ShopService): string {
  const port = settings.servicePort === 80 ? "" : `:${settings.servicePort}`;
  return `http://${service}.${settings.namespace}.svc.cluster.local${port}`;
}

function secretEnv(settings: WorkloadSettings, name: string) {
  return { name, valueFrom: { secretKeyRef: { name: settings.secretName, key: name } } };
}

/**
 * PostgreSQL mode: the service's own database URL, built from the operator's Secret. The
 * `$(VAR)` references are expanded by the kubelet from the variables listed before them. The
 * operator generates the password as 64 letters and digits, no symbol (cloudnative-pg 1.27.0,
 * internal/controller/cluster_create.go: password.Generate(64, 10, 0, ...)): safe in a URL as it is.
 */
function databaseEnvironment(settings: WorkloadSettings, service: ShopService) {
  const secret = appSecretName(settings);
  const database = SERVICE_DATABASES[service];
  return [
    { name: "SHOP_DATABASE_USER", valueFrom: { secretKeyRef: { name: secret, key: "username" } } },
    { name: "SHOP_DATABASE_PASSWORD", valueFrom: { secretKeyRef: { name: secret, key: "password" } } },
    {
      name: `${database.toUpperCase()}_DATABASE_URL`,
      // The operator's server certificate is self-signed by its own CA: encrypted, not verified.
      value: `postgres://$(SHOP_DATABASE_USER):$(SHOP_DATABASE_PASSWORD)@${primaryHost(settings)}:5432/${database}?sslmode=require`,
    },
  ];
}

/** The environment of every process; the entrypoint ignores the URLs it does not need. */
function environment(settings: WorkloadSettings, service: ShopService) {
  const plain: Record<string, string> = {
    NODE_ENV: "production",
    PORT: String(settings.containerPort),
    // /metrics is served only there, never on the public port.
    METRICS_PORT: String(settings.metricsPort),
    DATA_DIR,
    LOG_LEVEL: settings.logLevel,
    KAFKA_BROKERS: settings.kafkaBrokers.join(","),
    // The gateway owns identity: the services ask it whether a token's session is live.
    IDENTITY_URL: serviceUrl(settings, "gateway"),
    TRUSTED_PROXIES: POD_NETWORK,
  };
  for (const module of SHOP_MODULES) {
    if (module !== service) plain[`${module.toUpperCase()}_URL`] = serviceUrl(settings, module);
  }
  return [
    ...Object.entries(plain).map(([name, value]) => ({ name, value })),
    secretEnv(settings, "TOKEN_SECRET"),
    secretEnv(settings, "DEMO_ALICE_PASSWORD"),
    secretEnv(settings, "DEMO_BOB_PASSWORD"),
    secretEnv(settings, "DEMO_OPS_PASSWORD"),
    ...(settings.database === "postgres" ? databaseEnvironment(settings, service) : []),
  ];
}

/** PostgreSQL mode with the service running at all: an autoscaler owns its replica count. */
export const isAutoscaled = (settings: WorkloadSettings, service: ShopService) =>
  settings.database === "postgres" && settings.services[service].replicas > 0;

function httpProbe(path: string, periodSeconds: number, failureThreshold: number) {
  return { httpGet: { path, port: "http" }, periodSeconds, timeoutSeconds: 2, failureThreshold };
}

function persistentVolumeClaim(settings: WorkloadSettings, service: ShopService): PersistentVolumeClaim {
  return {
    apiVersion: "v1",
    kind: "PersistentVolumeClaim",
    metadata: { name: `${service}-data`, namespace: settings.namespace, labels: labelsFor(service, "data") },
    spec: {
      accessModes: ["ReadWriteOnce"],
      storageClassName: settings.storageClassName,
      resources: { requests: { storage: settings.services[service].storage } },
    },
  };
}

function deployment(settings: WorkloadSettings, service: ShopService): Deployment {
  const labels = labelsFor(service, service === "gateway" ? "gateway" : "module");
  const selector = { "app.kubernetes.io/name": service, "app.kubernetes.io/part-of": labels["app.kubernetes.io/part-of"]! };
  const own = settings.services[service];
  const postgres = settings.database === "postgres";
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: service, namespace: settings.namespace, labels },
    spec: {
      // SQLite: one writer per database file, so 0 or 1. PostgreSQL: the HorizontalPodAutoscaler sets
      // it; a count here would be put back by every sync (ArgoCD's selfHeal, pulumi up) and fight it.
      ...(isAutoscaled(settings, service) ? {} : { replicas: own.replicas }),
      // SQLite: Recreate, since the ReadWriteOnce volume and the file take one pod at a time.
      // PostgreSQL: a new pod is ready before an old one goes, so a rollout never drops below the count.
      strategy: postgres ? { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } : { type: "Recreate" },
      revisionHistoryLimit: 3,
      selector: { matchLabels: selector },
      template: {
        metadata: {
          labels,
          // The convention Prometheus' kubernetes_sd pod scrape configs (and most agents) follow.
          annotations: {
            "prometheus.io/scrape": "true",
            "prometheus.io/port": String(settings.metricsPort),
            "prometheus.io/path": "/metrics",
          },
        },
        spec: {
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          terminationGracePeriodSeconds: settings.terminationGracePeriodSeconds,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: 1000,
            runAsGroup: 1000,
            fsGroup: 1000, // the volume becomes writable by the image's non-root user
            seccompProfile: { type: "RuntimeDefault" },
          },
          containers: [
            {
              name: service,
              image: imageFor(settings, service),
              imagePullPolicy: settings.imagePullPolicy,
              ports: [
                { name: "http", containerPort: settings.containerPort, protocol: "TCP" },
                { name: "metrics", containerPort: settings.metricsPort, protocol: "TCP" },
              ],
              env: environment(settings, service),
              // Migrations run at start: give them time before liveness may restart the pod.
              startupProbe: httpProbe("/health/live", 2, 30),
              livenessProbe: httpProbe("/health/live", 10, 3),
              readinessProbe: httpProbe("/health/ready", 5, 3),
              resources: own.resources,
              lifecycle: {
                // Lets the Service drop this endpoint before SIGTERM starts the app's own drain.
                preStop: { exec: { command: ["sleep", String(settings.preStopSleepSeconds)] } },
              },
              securityContext: {
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                capabilities: { drop: ["ALL"] },
              },
              volumeMounts: [
                { name: "data", mountPath: DATA_DIR },
                { name: "tmp", mountPath: "/tmp" }, // the only other place the process may write
              ],
            },
          ],
          volumes: [
            // PostgreSQL mode keeps nothing in DATA_DIR: a scratch folder the process may write.
            postgres
              ? { name: "data", emptyDir: { sizeLimit: "64Mi" } }
              : { name: "data", persistentVolumeClaim: { claimName: `${service}-data` } },
            { name: "tmp", emptyDir: { sizeLimit: "64Mi" } },
          ],
        },
      },
    },
  };
}

function service(settings: WorkloadSettings, name: ShopService): Service {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name, namespace: settings.namespace, labels: labelsFor(name, name === "gateway" ? "gateway" : "module") },
    spec: {
      type: "ClusterIP",
      selector: { "app.kubernetes.io/name": name, "app.kubernetes.io/part-of": "bun-shop" },
      ports: [
        { name: "http", port: settings.servicePort, targetPort: "http", protocol: "TCP" },
        // For scrapers that discover targets through Services (a ServiceMonitor); the Ingress routes only http.
        { name: "metrics", port: settings.metricsPort, targetPort: "metrics", protocol: "TCP" },
      ],
    },
  };
}

export function buildGatewayIngress(settings: WorkloadSettings): Ingress {
  const rule = {
    http: {
      paths: [
        { path: "/", pathType: "Prefix", backend: { service: { name: "gateway", port: { name: "http" } } } },
      ],
    },
  };
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "Ingress",
    metadata: {
      name: "gateway",
      namespace: settings.namespace,
      labels: labelsFor("gateway", "gateway"),
      annotations: {
        // The dashboard's live order stream is a long-lived response: no buffering, no 60 s cut.
        "nginx.ingress.kubernetes.io/proxy-buffering": "off",
        "nginx.ingress.kubernetes.io/proxy-read-timeout": "3600",
        "nginx.ingress.kubernetes.io/proxy-body-size": "1m",
      },
    },
    spec: {
      ingressClassName: settings.ingressClassName,
      rules: [settings.ingressHost ? { host: settings.ingressHost, ...rule } : rule],
    },
  };
}

const podSelector = (service: ShopService) => ({
  matchLabels: { "app.kubernetes.io/name": service, "app.kubernetes.io/part-of": "bun-shop" },
});

/** Voluntary evictions (a node drain, a cluster upgrade) take at most one pod of the service at a time. */
function podDisruptionBudget(settings: WorkloadSettings, service: ShopService): PodDisruptionBudget {
  return {
    apiVersion: "policy/v1",
    kind: "PodDisruptionBudget",
    metadata: { name: service, namespace: settings.namespace, labels: labelsFor(service, service === "gateway" ? "gateway" : "module") },
    spec: {
      maxUnavailable: 1,
      selector: podSelector(service),
      // A pod that never got ready may be evicted even at the limit: it serves nothing anyway.
      unhealthyPodEvictionPolicy: "AlwaysAllow",
    },
  };
}

/** Between `replicas` and `maxReplicas`, on the pods' CPU use against their requests. */
function horizontalPodAutoscaler(settings: WorkloadSettings, service: ShopService): HorizontalPodAutoscaler {
  const own = settings.services[service];
  return {
    apiVersion: "autoscaling/v2",
    kind: "HorizontalPodAutoscaler",
    metadata: { name: service, namespace: settings.namespace, labels: labelsFor(service, service === "gateway" ? "gateway" : "module") },
    spec: {
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: service },
      minReplicas: own.replicas,
      maxReplicas: Math.max(own.replicas, own.maxReplicas),
      metrics: [
        { type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: settings.targetCpuUtilization } } },
      ],
    },
  };
}

/**
 * What each service runs on: its Deployment and Service; with SQLite the volume of its files, with
 * PostgreSQL (and replicas above 0) its disruption budget and autoscaler.
 */
export interface ServiceWorkload {
  claim?: PersistentVolumeClaim;
  deployment: Deployment;
  service: Service;
  disruptionBudget?: PodDisruptionBudget;
  autoscaler?: HorizontalPodAutoscaler;
}

export function buildServiceWorkload(settings: WorkloadSettings, name: ShopService): ServiceWorkload {
  const scaled = isAutoscaled(settings, name);
  return {
    ...(settings.database === "sqlite" ? { claim: persistentVolumeClaim(settings, name) } : {}),
    deployment: deployment(settings, name),
    service: service(settings, name),
    ...(scaled ? { disruptionBudget: podDisruptionBudget(settings, name), autoscaler: horizontalPodAutoscaler(settings, name) } : {}),
  };
}

/** The objects of one service in apply order; the gateway's include its Ingress. One GitOps file each. */
export function workloadManifestsByService(settings: WorkloadSettings): Map<ShopService, K8sObject[]> {
  const byService = new Map<ShopService, K8sObject[]>();
  for (const name of SHOP_SERVICES) {
    const { claim, deployment, service, disruptionBudget, autoscaler } = buildServiceWorkload(settings, name);
    const objects: (K8sObject | undefined)[] = [claim, deployment, service, disruptionBudget, autoscaler];
    if (name === "gateway") objects.push(buildGatewayIngress(settings));
    byService.set(name, objects.filter((o) => o !== undefined));
  }
  return byService;
}

/** Every object of the shop's workloads, in apply order per service. */
export function buildWorkloadManifests(settings: WorkloadSettings): K8sObject[] {
  return [...workloadManifestsByService(settings).values()].flat();
}
