// ArgoCD, installed from its Helm chart (optional: a cluster may have one already, and a chart
// repository may be out of reach). The shop's root Application is the Shop component's.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { argoCdValues } from "../helm-values";
import type { ArgoSettings } from "../settings";
import { type Cluster, childOf, inCluster } from "./cluster";

export interface ArgoCdArgs {
  cluster: Cluster;
  settings: ArgoSettings;
}

export class ArgoCd extends pulumi.ComponentResource {
  readonly release: k8s.helm.v3.Release;
  readonly namespace: string;

  constructor(name: string, args: ArgoCdArgs, opts?: pulumi.ComponentResourceOptions) {
    super("bun-shop:infra:ArgoCd", name, {}, inCluster(args.cluster, opts));
    this.namespace = args.settings.namespace;
    this.release = new k8s.helm.v3.Release(
      "argocd",
      {
        name: "argocd",
        chart: "argo-cd",
        version: args.settings.chartVersion,
        repositoryOpts: { repo: "https://argoproj.github.io/argo-helm" },
        namespace: args.settings.namespace,
        createNamespace: true,
        values: argoCdValues(),
        timeout: 900,
      },
      childOf(this, args.cluster),
    );
    this.registerOutputs({});
  }
}
