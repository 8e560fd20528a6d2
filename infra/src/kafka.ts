// Single-node Kafka in KRaft mode (the node is broker and controller, no ZooKeeper) as plain objects:
// a headless Service for the pod's stable DNS name, a client Service, the StatefulSet with a
// persistent log dir, and a Job that creates the topics once the broker answers.
import { type Job, type K8sObject, type Service, type StatefulSet, labelsFor } from "./k8s-object";
import type { KafkaSettings } from "./settings";

const NAME = "kafka";
const HEADLESS = "kafka-headless";
const LOG_DIR = "/var/lib/kafka/data/logs"; // a subfolder: the volume's root may hold lost+found

export function kafkaBootstrap(settings: KafkaSettings): string {
  return `${NAME}-0.${HEADLESS}.${settings.namespace}.svc.cluster.local:9092`;
}

function kafkaEnv(settings: KafkaSettings) {
  const podDns = `${NAME}-0.${HEADLESS}.${settings.namespace}.svc.cluster.local`;
  // The apache/kafka image turns every KAFKA_* variable into a server property.
  const env: Record<string, string> = {
    CLUSTER_ID: settings.clusterId,
    KAFKA_NODE_ID: "1",
    KAFKA_PROCESS_ROLES: "broker,controller",
    KAFKA_LISTENERS: "PLAINTEXT://:9092,CONTROLLER://:9093",
    KAFKA_ADVERTISED_LISTENERS: `PLAINTEXT://${podDns}:9092`,
    KAFKA_CONTROLLER_LISTENER_NAMES: "CONTROLLER",
    KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
    KAFKA_CONTROLLER_QUORUM_VOTERS: "1@localhost:9093",
    KAFKA_LOG_DIRS: LOG_DIR,
    KAFKA_NUM_PARTITIONS: String(settings.partitions),
    // One broker: internal topics cannot have more than one copy.
    KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: "1",
    KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: "1",
    KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: "1",
    KAFKA_AUTO_CREATE_TOPICS_ENABLE: "false", // topics come from the list below, not from typos
    KAFKA_HEAP_OPTS: "-Xms512m -Xmx512m",
  };
  return Object.entries(env).map(([name, value]) => ({ name, value }));
}

const containerSecurity = {
  allowPrivilegeEscalation: false,
  // Not read-only: the image's start script writes the generated server.properties under /opt/kafka.
  readOnlyRootFilesystem: false,
  capabilities: { drop: ["ALL"] },
};

const podSecurity = {
  runAsNonRoot: true,
  runAsUser: 1000, // the image's appuser
  runAsGroup: 1000,
  fsGroup: 1000,
  seccompProfile: { type: "RuntimeDefault" },
};

function statefulSet(settings: KafkaSettings): StatefulSet {
  const labels = labelsFor(NAME, "event-bus");
  return {
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    metadata: { name: NAME, namespace: settings.namespace, labels },
    spec: {
      serviceName: HEADLESS,
      replicas: 1,
      selector: { matchLabels: { "app.kubernetes.io/name": NAME } },
      template: {
        metadata: { labels },
        spec: {
          // Service links would inject KAFKA_PORT=tcp://..., which the image reads as a property.
          enableServiceLinks: false,
          automountServiceAccountToken: false,
          terminationGracePeriodSeconds: 60,
          securityContext: podSecurity,
          containers: [
            {
              name: NAME,
              image: settings.image,
              ports: [
                { name: "client", containerPort: 9092, protocol: "TCP" },
                { name: "controller", containerPort: 9093, protocol: "TCP" },
              ],
              env: kafkaEnv(settings),
              readinessProbe: { tcpSocket: { port: "client" }, periodSeconds: 5, failureThreshold: 6 },
              livenessProbe: { tcpSocket: { port: "client" }, initialDelaySeconds: 60, periodSeconds: 15, failureThreshold: 4 },
              resources: { requests: { cpu: "250m", memory: "768Mi" }, limits: { cpu: "1", memory: "1Gi" } },
              securityContext: containerSecurity,
              volumeMounts: [{ name: "data", mountPath: "/var/lib/kafka/data" }],
            },
          ],
        },
      },
      volumeClaimTemplates: [
        {
          metadata: { name: "data" },
          spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: settings.storage } } },
        },
      ],
    },
  };
}

function services(settings: KafkaSettings): Service[] {
  const labels = labelsFor(NAME, "event-bus");
  const selector = { "app.kubernetes.io/name": NAME };
  return [
    {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: HEADLESS, namespace: settings.namespace, labels },
      spec: {
        clusterIP: "None",
        publishNotReadyAddresses: true, // the controller must resolve itself before it is ready
        selector,
        ports: [
          { name: "client", port: 9092, targetPort: "client" },
          { name: "controller", port: 9093, targetPort: "controller" },
        ],
      },
    },
    {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: NAME, namespace: settings.namespace, labels },
      spec: { selector, ports: [{ name: "client", port: 9092, targetPort: "client" }] },
    },
  ];
}

/** Creates the configured topics; idempotent (--if-not-exists), so a re-run is harmless. */
function topicsJob(settings: KafkaSettings): Job {
  const bootstrap = kafkaBootstrap(settings);
  const create = settings.topics
    .map((t) => `/opt/kafka/bin/kafka-topics.sh --bootstrap-server ${bootstrap} --create --if-not-exists --topic ${t} --partitions ${settings.partitions} --replication-factor 1`)
    .join("\n");
  const script = [
    "set -e",
    `until /opt/kafka/bin/kafka-topics.sh --bootstrap-server ${bootstrap} --list >/dev/null 2>&1; do echo waiting for kafka; sleep 3; done`,
    create,
  ].join("\n");
  return {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: { name: "kafka-topics", namespace: settings.namespace, labels: labelsFor("kafka-topics", "event-bus") },
    spec: {
      backoffLimit: 6,
      activeDeadlineSeconds: 600,
      template: {
        metadata: { labels: labelsFor("kafka-topics", "event-bus") },
        spec: {
          restartPolicy: "OnFailure",
          enableServiceLinks: false,
          automountServiceAccountToken: false,
          securityContext: podSecurity,
          containers: [
            {
              name: "create-topics",
              image: settings.image,
              command: ["/bin/bash", "-c", script],
              resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "500m", memory: "512Mi" } },
              securityContext: containerSecurity,
            },
          ],
        },
      },
    },
  };
}

export interface KafkaObjects {
  services: Service[];
  statefulSet: StatefulSet;
  topicsJob: Job;
}

export function buildKafkaObjects(settings: KafkaSettings): KafkaObjects {
  return { services: services(settings), statefulSet: statefulSet(settings), topicsJob: topicsJob(settings) };
}

/** The same objects as one list, in apply order. */
export function buildKafkaManifests(settings: KafkaSettings): K8sObject[] {
  const { services, statefulSet, topicsJob } = buildKafkaObjects(settings);
  return [...services, statefulSet, topicsJob];
}
