// The local cluster: kind creates it from the config this program writes, and deletes it on destroy.
// Its kubeconfig (the command's stdout) feeds the Kubernetes provider every other resource uses.
import * as command from "@pulumi/command";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ingressNginxValues } from "./helm-values";
import { kindConfigYaml } from "./kind-config";
import type { ClusterSettings } from "./settings";

export interface KindCluster {
  create: command.local.Command;
  provider: k8s.Provider;
  ingressNginx: k8s.helm.v3.Release;
}

/** The shell run on `pulumi up`: write the config, create the cluster if absent, print the kubeconfig. */
export function kindCreateScript(settings: ClusterSettings): string {
  const file = `.kind/${settings.name}.yaml`;
  return [
    "set -eu",
    "mkdir -p .kind",
    `printf '%s' "$KIND_CONFIG" > ${file}`,
    // Idempotent: a cluster left by an interrupted run is reused, not a reason to fail.
    `kind get clusters 2>/dev/null | grep -qx '${settings.name}' || kind create cluster --name '${settings.name}' --config ${file} --wait 180s >&2`,
    `kind get kubeconfig --name '${settings.name}'`,
  ].join("\n");
}

export function kindDeleteScript(settings: ClusterSettings): string {
  return `kind delete cluster --name '${settings.name}'`;
}

export function createKindCluster(settings: ClusterSettings): KindCluster {
  const config = kindConfigYaml(settings);
  const create = new command.local.Command(
    "kind-cluster",
    {
      create: kindCreateScript(settings),
      delete: kindDeleteScript(settings),
      environment: { KIND_CONFIG: config },
      // A changed config means a new cluster (kind cannot reconfigure one in place).
      triggers: [config],
    },
    { additionalSecretOutputs: ["stdout"] }, // the kubeconfig holds the cluster's client key
  );

  const provider = new k8s.Provider("kind", {
    kubeconfig: create.stdout,
    // Server-side apply: the same field ownership model ArgoCD uses when it takes over.
    enableServerSideApply: true,
  });

  const ingressNginx = new k8s.helm.v3.Release(
    "ingress-nginx",
    {
      name: "ingress-nginx",
      chart: "ingress-nginx",
      version: settings.ingressNginxChartVersion,
      repositoryOpts: { repo: "https://kubernetes.github.io/ingress-nginx" },
      namespace: "ingress-nginx",
      createNamespace: true,
      values: ingressNginxValues(),
      timeout: 600,
    },
    { provider, deletedWith: create },
  );

  return { create, provider, ingressNginx };
}

export const kubeconfigOf = (cluster: KindCluster): pulumi.Output<string> => pulumi.secret(cluster.create.stdout);
