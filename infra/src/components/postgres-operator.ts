// CloudNativePG, the PostgreSQL operator, installed from its Helm chart in PostgreSQL mode. It
// watches every namespace; the shop's Cluster and Databases are the Shop component's.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { PostgresOperatorSettings } from "../settings";
import { type Cluster, childOf, inCluster } from "./cluster";

export interface PostgresOperatorArgs {
  cluster: Cluster;
  settings: PostgresOperatorSettings;
}

export class PostgresOperator extends pulumi.ComponentResource {
  readonly release: k8s.helm.v3.Release;

  constructor(name: string, args: PostgresOperatorArgs, opts?: pulumi.ComponentResourceOptions) {
    super("bun-shop:infra:PostgresOperator", name, {}, inCluster(args.cluster, opts));
    this.release = new k8s.helm.v3.Release(
      "cloudnative-pg",
      {
        name: "cnpg",
        chart: "cloudnative-pg",
        version: args.settings.chartVersion,
        repositoryOpts: { repo: "https://cloudnative-pg.github.io/charts" },
        namespace: args.settings.namespace,
        createNamespace: true,
        // Awaited (Helm's --wait): the Cluster applied next goes through the operator's webhook.
        timeout: 600,
      },
      childOf(this, args.cluster),
    );
    this.registerOutputs({});
  }
}
