// The shop in the cluster: its namespace and Secret, in PostgreSQL mode its database cluster, then
// its workloads, either applied by Pulumi (deployWorkloadsDirectly) or handed to ArgoCD through the
// root Application (app of apps).
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { buildRootApplication } from "../argocd-applications";
import { resourceName } from "../k8s-object";
import { buildPostgresCluster, buildPostgresDatabases } from "../postgres";
import { type ArgoSettings, SHOP_SERVICES, type WorkloadSettings } from "../settings";
import { createShopSecret } from "../shop-secrets";
import { buildGatewayIngress, buildServiceWorkload } from "../workloads";
import type { ArgoCd } from "./argocd";
import { type Cluster, childOf, inCluster } from "./cluster";
import type { Kafka } from "./kafka";
import type { PostgresOperator } from "./postgres-operator";

export interface ShopArgs {
  cluster: Cluster;
  workloads: WorkloadSettings;
  argo: ArgoSettings;
  deployWorkloadsDirectly: boolean;
  kafka: Kafka;
  /** Installed by this stack, or else already in the cluster (the root Application needs its CRD). */
  argoCd?: ArgoCd;
  /** PostgreSQL mode: installed by this stack, or else already in the cluster (the Cluster needs its CRDs). */
  postgresOperator?: PostgresOperator;
}

export interface ShopWorkload {
  claim?: k8s.core.v1.PersistentVolumeClaim;
  deployment: k8s.apps.v1.Deployment;
  service: k8s.core.v1.Service;
  disruptionBudget?: k8s.policy.v1.PodDisruptionBudget;
  autoscaler?: k8s.autoscaling.v2.HorizontalPodAutoscaler;
}

export class Shop extends pulumi.ComponentResource {
  readonly namespace: k8s.core.v1.Namespace;
  readonly secret: k8s.core.v1.Secret;
  /** PostgreSQL mode: the CloudNativePG Cluster and one Database per module. */
  readonly postgresCluster?: k8s.apiextensions.CustomResource;
  readonly postgresDatabases: k8s.apiextensions.CustomResource[] = [];
  /** With deployWorkloadsDirectly: each service's objects, and the gateway's Ingress. */
  readonly workloads: ShopWorkload[] = [];
  readonly ingress?: k8s.networking.v1.Ingress;
  /** Without: the root Application ArgoCD syncs the workloads from. */
  readonly rootApplication?: k8s.apiextensions.CustomResource;

  constructor(name: string, args: ShopArgs, opts?: pulumi.ComponentResourceOptions) {
    super("bun-shop:infra:Shop", name, {}, inCluster(args.cluster, opts));
    const child = childOf(this, args.cluster);
    const settings = args.workloads;

    this.namespace = new k8s.core.v1.Namespace("shop", { metadata: { name: settings.namespace } }, child);
    this.secret = createShopSecret(settings.namespace, settings.secretName, { ...child, dependsOn: [this.namespace] });

    // The Ingress needs the controller's admission webhook; the apps need their topics and Secret.
    const ingressNginx = args.cluster.ingressNginx ? [args.cluster.ingressNginx] : [];
    // PostgreSQL: the workloads read their credentials from the Secret the operator writes for the Cluster.
    if (settings.database === "postgres") {
      const afterOperator = { ...child, dependsOn: [this.namespace, ...(args.postgresOperator ? [args.postgresOperator] : [])] };
      const cluster = buildPostgresCluster(settings);
      this.postgresCluster = new k8s.apiextensions.CustomResource(resourceName("shop", cluster), cluster, afterOperator);
      for (const database of buildPostgresDatabases(settings)) {
        this.postgresDatabases.push(
          new k8s.apiextensions.CustomResource(resourceName("shop", database), database, {
            ...afterOperator,
            dependsOn: [...afterOperator.dependsOn, this.postgresCluster],
          }),
        );
      }
    }
    const database = this.postgresCluster ? [this.postgresCluster, ...this.postgresDatabases] : [];
    const needs = { ...child, dependsOn: [this.namespace, this.secret, args.kafka, ...ingressNginx, ...database] };
    if (args.deployWorkloadsDirectly) {
      for (const service of SHOP_SERVICES) {
        const { claim, deployment, service: svc, disruptionBudget, autoscaler } = buildServiceWorkload(settings, service);
        this.workloads.push({
          claim: claim && new k8s.core.v1.PersistentVolumeClaim(resourceName("shop", claim), claim, needs),
          deployment: new k8s.apps.v1.Deployment(resourceName("shop", deployment), deployment, needs),
          service: new k8s.core.v1.Service(resourceName("shop", svc), svc, needs),
          disruptionBudget:
            disruptionBudget && new k8s.policy.v1.PodDisruptionBudget(resourceName("shop", disruptionBudget), disruptionBudget, needs),
          autoscaler: autoscaler && new k8s.autoscaling.v2.HorizontalPodAutoscaler(resourceName("shop", autoscaler), autoscaler, needs),
        });
      }
      const ingress = buildGatewayIngress(settings);
      this.ingress = new k8s.networking.v1.Ingress(resourceName("shop", ingress), ingress, needs);
    } else {
      this.rootApplication = new k8s.apiextensions.CustomResource("argocd-root-application", buildRootApplication(args.argo), {
        ...needs,
        dependsOn: [...needs.dependsOn, ...(args.argoCd ? [args.argoCd] : [])],
      });
    }
    this.registerOutputs({});
  }
}
