// The shop's workloads as plain Kubernetes objects: one Deployment, Service and PersistentVolumeClaim
// per service, and an Ingress for the gateway. The single source of truth for both the Pulumi program
// (deployWorkloadsDirectly) and the GitOps manifests under argocd/apps/ (scripts/generate-manifests.ts).
import { type Deployment, type Ingress, type K8sObject, type PersistentVolumeClaim, type Service, labelsFor } from "./k8s-object";
import { SHOP_MODULES, SHOP_SERVICES, type ShopService, type WorkloadSettings, imageFor } from "./settings";

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
  ];
}

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
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: service, namespace: settings.namespace, labels },
    spec: {
      // SQLite: one writer per database file, so one replica per module until it moves to PostgreSQL.
      replicas: own.replicas,
      // Recreate, not RollingUpdate: the ReadWriteOnce volume and the SQLite file take one pod at a time.
      strategy: { type: "Recreate" },
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
            { name: "data", persistentVolumeClaim: { claimName: `${service}-data` } },
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

/** What each service runs on: its volume, its Deployment and its Service. */
export interface ServiceWorkload {
  claim: PersistentVolumeClaim;
  deployment: Deployment;
  service: Service;
}

export function buildServiceWorkload(settings: WorkloadSettings, name: ShopService): ServiceWorkload {
  return { claim: persistentVolumeClaim(settings, name), deployment: deployment(settings, name), service: service(settings, name) };
}

/** The objects of one service in apply order; the gateway's include its Ingress. One GitOps file each. */
export function workloadManifestsByService(settings: WorkloadSettings): Map<ShopService, K8sObject[]> {
  const byService = new Map<ShopService, K8sObject[]>();
  for (const name of SHOP_SERVICES) {
    const { claim, deployment, service } = buildServiceWorkload(settings, name);
    byService.set(name, [claim, deployment, service, ...(name === "gateway" ? [buildGatewayIngress(settings)] : [])]);
  }
  return byService;
}

/** Every object of the shop's workloads, in apply order per service. */
export function buildWorkloadManifests(settings: WorkloadSettings): K8sObject[] {
  return [...workloadManifestsByService(settings).values()].flat();
}
