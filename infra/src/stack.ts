// The whole local platform as components, in dependency order: the cluster (kind, or an existing
// one) with its provider and ingress-nginx -> Kafka, ArgoCD and (PostgreSQL mode) the CloudNativePG
// operator -> the shop (its namespace, Secret, database and workloads, or the ArgoCD Application
// that syncs the workloads).
import * as pulumi from "@pulumi/pulumi";
import { ArgoCd } from "./components/argocd";
import { Cluster } from "./components/cluster";
import { Kafka } from "./components/kafka";
import { PostgresOperator } from "./components/postgres-operator";
import { Shop } from "./components/shop";
import type { StackSettings } from "./stack-config";

export function createShopPlatform(settings: StackSettings) {
  const cluster = new Cluster("cluster", {
    settings: settings.cluster,
    existing: settings.existingCluster,
    installIngressNginx: settings.installIngressNginx,
    installMetricsServer: settings.installMetricsServer,
  });
  const kafka = new Kafka("kafka", { cluster, settings: settings.kafka });
  const argoCd = settings.installArgoCd ? new ArgoCd("argocd", { cluster, settings: settings.argo }) : undefined;
  const postgresOperator = settings.postgresOperator
    ? new PostgresOperator("postgres-operator", { cluster, settings: settings.postgresOperator })
    : undefined;
  const shop = new Shop("shop", {
    cluster,
    workloads: settings.workloads,
    argo: settings.argo,
    deployWorkloadsDirectly: settings.deployWorkloadsDirectly,
    kafka,
    argoCd,
    postgresOperator,
  });

  const port = settings.cluster.httpPort === 80 ? "" : `:${settings.cluster.httpPort}`;
  const context = cluster.kubeContext ? `--context ${cluster.kubeContext} ` : "";
  return {
    cluster,
    kafka,
    argoCd,
    postgresOperator,
    shop,
    outputs: {
      clusterName: settings.existingCluster
        ? `existing: ${settings.existingCluster.context ?? "the kubeconfig's current context"}`
        : settings.cluster.name,
      kubeconfig: cluster.kubeconfig,
      dashboardUrl: `http://${settings.workloads.ingressHost || "localhost"}${port}/`,
      workloadsManagedBy: settings.deployWorkloadsDirectly ? "pulumi" : "argocd",
      argocdUi: pulumi.output(`kubectl ${context}-n ${settings.argo.namespace} port-forward svc/argocd-server 8080:80`),
    },
  };
}
