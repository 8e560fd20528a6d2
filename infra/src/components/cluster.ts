// Where everything runs: a kind cluster this stack creates (the default), or an existing cluster
// given by a kubeconfig. Either way one Kubernetes provider, which every resource inside uses, and
// optionally ingress-nginx from its Helm chart.
import * as command from "@pulumi/command";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ingressNginxValues, metricsServerValues } from "../helm-values";
import { kindConfigYaml } from "../kind-config";
import type { ClusterSettings } from "../settings";
import type { ExistingCluster } from "../stack-config";
import { movedFromStackRoot } from "./moved";

export interface ClusterArgs {
  settings: ClusterSettings;
  /** Given: use that cluster; absent: create a kind cluster. */
  existing?: ExistingCluster;
  installIngressNginx: boolean;
  /** metrics-server, for the autoscalers (its values are kind's). */
  installMetricsServer: boolean;
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

export class Cluster extends pulumi.ComponentResource {
  /** The kind cluster's create/delete Command; absent on an existing cluster. */
  readonly kind?: command.local.Command;
  readonly provider: k8s.Provider;
  readonly ingressNginx?: k8s.helm.v3.Release;
  readonly metricsServer?: k8s.helm.v3.Release;
  /** Secret: it holds the cluster's credentials. */
  readonly kubeconfig: pulumi.Output<string>;
  /** The kube context a user's kubectl reaches this cluster with. */
  readonly kubeContext: string | undefined;

  constructor(name: string, args: ClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("bun-shop:infra:Cluster", name, {}, opts);
    const child = { parent: this, aliases: movedFromStackRoot() };
    const { settings } = args;

    if (args.existing) {
      this.kubeconfig = pulumi.secret(args.existing.kubeconfig);
      this.kubeContext = args.existing.context;
    } else {
      const config = kindConfigYaml(settings);
      this.kind = new command.local.Command(
        "kind-cluster",
        {
          create: kindCreateScript(settings),
          delete: kindDeleteScript(settings),
          environment: { KIND_CONFIG: config },
          // A changed config means a new cluster (kind cannot reconfigure one in place).
          triggers: [config],
          // stdout is the kubeconfig, client key included: additionalSecretOutputs hides the output
          // but not the log lines Pulumi streams while the command runs. Only kind's progress (stderr) is logged.
          logging: "stderr",
        },
        { ...child, additionalSecretOutputs: ["stdout"] },
      );
      this.kubeconfig = pulumi.secret(this.kind.stdout);
      this.kubeContext = `kind-${settings.name}`;
    }

    this.provider = new k8s.Provider(
      args.existing ? "existing" : "kind",
      {
        kubeconfig: this.kubeconfig,
        context: args.existing?.context,
        // Server-side apply: the same field ownership model ArgoCD uses when it takes over.
        enableServerSideApply: true,
      },
      child,
    );

    if (args.installIngressNginx) {
      this.ingressNginx = new k8s.helm.v3.Release(
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
        { ...child, provider: this.provider, deletedWith: this.kind },
      );
    }
    if (args.installMetricsServer) {
      this.metricsServer = new k8s.helm.v3.Release(
        "metrics-server",
        {
          name: "metrics-server",
          chart: "metrics-server",
          version: settings.metricsServerChartVersion,
          repositoryOpts: { repo: "https://kubernetes-sigs.github.io/metrics-server/" },
          namespace: "kube-system",
          values: metricsServerValues(),
          timeout: 300,
        },
        { ...child, provider: this.provider, deletedWith: this.kind },
      );
    }
    this.registerOutputs({ kubeconfig: this.kubeconfig });
  }

}

/** Options of a component whose resources live in `cluster`: its children inherit the provider. */
export function inCluster(cluster: Cluster, opts?: pulumi.ComponentResourceOptions): pulumi.ComponentResourceOptions {
  return { ...opts, providers: { kubernetes: cluster.provider } };
}

/** Options of a resource inside `cluster`, child of `parent`. */
export function childOf(parent: pulumi.Resource, cluster: Cluster): pulumi.CustomResourceOptions {
  // On kind, destroy deletes the cluster and skips the one-by-one deletes (and any finalizer that
  // would wait for a controller); on an existing cluster each object is deleted in turn.
  return { parent, deletedWith: cluster.kind, aliases: movedFromStackRoot() };
}
