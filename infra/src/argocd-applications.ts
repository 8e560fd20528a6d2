// ArgoCD Applications as plain objects: an app-of-apps root that watches argocd/applications/, and
// the child that syncs the shop's workloads from argocd/apps/shop/. Automated sync with prune and
// selfHeal: git is the truth, and drift in the cluster is put back.
import { type Application, labelsFor } from "./k8s-object";
import type { ArgoSettings } from "./settings";

export const GITOPS_PATHS = {
  applications: "argocd/applications",
  shopWorkloads: "argocd/apps/shop",
} as const;

const automatedSync = {
  automated: { prune: true, selfHeal: true },
  retry: { limit: 5, backoff: { duration: "10s", factor: 2, maxDuration: "3m" } },
};

function application(
  settings: ArgoSettings,
  name: string,
  path: string,
  destinationNamespace: string,
  syncOptions: string[],
): Application {
  return {
    apiVersion: "argoproj.io/v1alpha1",
    kind: "Application",
    metadata: {
      name,
      namespace: settings.namespace,
      labels: labelsFor(name, "gitops"),
      // Deleting the Application deletes what it deployed (cascade), not just the record.
      finalizers: ["resources-finalizer.argocd.argoproj.io"],
    },
    spec: {
      project: "default",
      source: { repoURL: settings.repoUrl, targetRevision: settings.targetRevision, path },
      destination: { server: "https://kubernetes.default.svc", namespace: destinationNamespace },
      syncPolicy: syncOptions.length ? { ...automatedSync, syncOptions } : automatedSync,
    },
  };
}

/** The root Application (app of apps). Pulumi applies it; ArgoCD takes it from there. */
export function buildRootApplication(settings: ArgoSettings): Application {
  return application(settings, "bun-shop-root", GITOPS_PATHS.applications, settings.namespace, []);
}

/** The Applications the root one finds in argocd/applications/. */
export function buildChildApplications(settings: ArgoSettings, shopNamespace: string): Application[] {
  return [
    application(settings, "bun-shop-workloads", GITOPS_PATHS.shopWorkloads, shopNamespace, [
      "CreateNamespace=true",
      "PruneLast=true",
    ]),
  ];
}
