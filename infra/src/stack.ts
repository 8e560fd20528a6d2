// The whole local platform, in dependency order: kind cluster -> provider -> ingress-nginx, Kafka,
// ArgoCD -> the shop's namespace and Secret -> the workloads (ArgoCD root Application, or directly).
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { applyObjects } from "./apply-objects";
import { buildRootApplication } from "./argocd-applications";
import { buildKafkaManifests } from "./kafka";
import { argoCdValues } from "./helm-values";
import { createKindCluster, kubeconfigOf } from "./kind-cluster";
import { createShopSecret } from "./shop-secrets";
import type { StackSettings } from "./stack-config";
import { buildWorkloadManifests } from "./workloads";

export function createShopPlatform(settings: StackSettings) {
  const cluster = createKindCluster(settings.cluster);
  // Everything inside the cluster goes when the cluster goes: destroy deletes the kind cluster and
  // skips the one-by-one deletes (and any finalizer that would wait for a controller).
  const inCluster = { provider: cluster.provider, deletedWith: cluster.create };

  const kafkaNamespace = new k8s.core.v1.Namespace(
    "kafka",
    { metadata: { name: settings.kafka.namespace } },
    inCluster,
  );
  const kafka = applyObjects("kafka", buildKafkaManifests(settings.kafka), { ...inCluster, dependsOn: [kafkaNamespace] });

  const argocd = new k8s.helm.v3.Release(
    "argocd",
    {
      name: "argocd",
      chart: "argo-cd",
      version: settings.argo.chartVersion,
      repositoryOpts: { repo: "https://argoproj.github.io/argo-helm" },
      namespace: settings.argo.namespace,
      createNamespace: true,
      values: argoCdValues(),
      timeout: 900,
    },
    inCluster,
  );

  const shopNamespace = new k8s.core.v1.Namespace(
    "shop",
    { metadata: { name: settings.workloads.namespace } },
    inCluster,
  );
  const secret = createShopSecret(settings.workloads.namespace, settings.workloads.secretName, {
    ...inCluster,
    dependsOn: [shopNamespace],
  });

  // The Ingress needs the controller's admission webhook; the apps need their topics and Secret.
  const workloadDeps = [shopNamespace, secret, cluster.ingressNginx, ...kafka];
  const workloads = settings.deployWorkloadsDirectly
    ? applyObjects("shop", buildWorkloadManifests(settings.workloads), { ...inCluster, dependsOn: workloadDeps })
    : [];
  const rootApplication = settings.deployWorkloadsDirectly
    ? undefined
    : new k8s.apiextensions.CustomResource(
        "argocd-root-application",
        buildRootApplication(settings.argo) as any,
        { ...inCluster, dependsOn: [argocd, ...workloadDeps] },
      );

  const port = settings.cluster.httpPort === 80 ? "" : `:${settings.cluster.httpPort}`;
  return {
    cluster,
    kafka,
    argocd,
    secret,
    workloads,
    rootApplication,
    outputs: {
      clusterName: settings.cluster.name,
      kubeconfig: kubeconfigOf(cluster),
      dashboardUrl: `http://${settings.workloads.ingressHost || "localhost"}${port}/`,
      workloadsManagedBy: settings.deployWorkloadsDirectly ? "pulumi" : "argocd",
      argocdUi: pulumi.interpolate`kubectl --context kind-${settings.cluster.name} -n ${settings.argo.namespace} port-forward svc/argocd-server 8080:80`,
    },
  };
}
