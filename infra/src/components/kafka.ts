// Kafka in the cluster: its namespace, the broker's StatefulSet and Services, and the Job that
// creates the topics. Pulumi awaits each: the StatefulSet's rollout, the Job's completion.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { buildKafkaObjects } from "../kafka";
import { resourceName } from "../k8s-object";
import type { KafkaSettings } from "../settings";
import { type Cluster, childOf, inCluster } from "./cluster";

export interface KafkaArgs {
  cluster: Cluster;
  settings: KafkaSettings;
}

export class Kafka extends pulumi.ComponentResource {
  readonly namespace: k8s.core.v1.Namespace;
  readonly services: k8s.core.v1.Service[];
  readonly statefulSet: k8s.apps.v1.StatefulSet;
  readonly topicsJob: k8s.batch.v1.Job;

  constructor(name: string, args: KafkaArgs, opts?: pulumi.ComponentResourceOptions) {
    super("bun-shop:infra:Kafka", name, {}, inCluster(args.cluster, opts));
    const child = childOf(this, args.cluster);
    const objects = buildKafkaObjects(args.settings);

    this.namespace = new k8s.core.v1.Namespace("kafka", { metadata: { name: args.settings.namespace } }, child);
    const inNamespace = { ...child, dependsOn: [this.namespace] };
    this.services = objects.services.map((s) => new k8s.core.v1.Service(resourceName("kafka", s), s, inNamespace));
    this.statefulSet = new k8s.apps.v1.StatefulSet(resourceName("kafka", objects.statefulSet), objects.statefulSet, inNamespace);
    this.topicsJob = new k8s.batch.v1.Job(resourceName("kafka", objects.topicsJob), objects.topicsJob, inNamespace);
    this.registerOutputs({});
  }
}
