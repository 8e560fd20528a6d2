// The objects the builders return: @pulumi/kubernetes's own input types (what its resource classes
// take), with apiVersion, kind and metadata made plain and required, since the same object also
// becomes a YAML file under argocd/. No Output in them: the builders are pure data.
import type { IApplication } from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application";
import type * as input from "@pulumi/kubernetes/types/input";

export interface ObjectMeta {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
}

type Built<T, ApiVersion extends string, Kind extends string> = Omit<T, "apiVersion" | "kind" | "metadata"> & {
  apiVersion: ApiVersion;
  kind: Kind;
  metadata: ObjectMeta;
};

export type Namespace = Built<input.core.v1.Namespace, "v1", "Namespace">;
export type Service = Built<input.core.v1.Service, "v1", "Service">;
export type PersistentVolumeClaim = Built<input.core.v1.PersistentVolumeClaim, "v1", "PersistentVolumeClaim">;
export type Deployment = Built<input.apps.v1.Deployment, "apps/v1", "Deployment">;
export type StatefulSet = Built<input.apps.v1.StatefulSet, "apps/v1", "StatefulSet">;
export type Job = Built<input.batch.v1.Job, "batch/v1", "Job">;
export type Ingress = Built<input.networking.v1.Ingress, "networking.k8s.io/v1", "Ingress">;
export type PodDisruptionBudget = Built<input.policy.v1.PodDisruptionBudget, "policy/v1", "PodDisruptionBudget">;
export type HorizontalPodAutoscaler = Built<input.autoscaling.v2.HorizontalPodAutoscaler, "autoscaling/v2", "HorizontalPodAutoscaler">;
/** ArgoCD's Application (a CRD: @pulumi/kubernetes has no class for it, the type comes from its schema). */
export type Application = Built<IApplication, "argoproj.io/v1alpha1", "Application">;

/**
 * CloudNativePG's Cluster and Database (CRDs with no typed package here): the fields this program
 * sets, named as in the operator's CRDs (postgresql.cnpg.io/v1), which the control-plane test applies.
 */
export type PostgresCluster = Built<
  {
    spec: {
      instances: number;
      storage: { size: string; storageClass?: string };
      bootstrap: { initdb: { database: string; owner: string } };
      resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
      enableSuperuserAccess?: boolean;
    };
  },
  "postgresql.cnpg.io/v1",
  "Cluster"
>;
export type PostgresDatabase = Built<
  { spec: { name: string; owner: string; cluster: { name: string }; ensure?: "present" | "absent"; databaseReclaimPolicy?: "retain" | "delete" } },
  "postgresql.cnpg.io/v1",
  "Database"
>;

/** Any object this program builds. */
export type K8sObject =
  | Namespace
  | Service
  | PersistentVolumeClaim
  | Deployment
  | StatefulSet
  | Job
  | Ingress
  | PodDisruptionBudget
  | HorizontalPodAutoscaler
  | Application
  | PostgresCluster
  | PostgresDatabase;

export const PART_OF = "bun-shop";

export function labelsFor(name: string, component: string): Record<string, string> {
  return {
    "app.kubernetes.io/name": name,
    "app.kubernetes.io/component": component,
    "app.kubernetes.io/part-of": PART_OF,
  };
}

/** Pulumi's logical name: unique per kind, namespace and name. */
export function resourceName(prefix: string, object: K8sObject): string {
  const ns = object.metadata.namespace ? `${object.metadata.namespace}-` : "";
  return `${prefix}-${object.kind.toLowerCase()}-${ns}${object.metadata.name}`;
}
