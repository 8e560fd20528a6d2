// Turns plain Kubernetes objects (from the pure builders) into Pulumi resources. Typed classes for the
// kinds we use, so Pulumi awaits their readiness (Deployment rollout, Job completion, PVC binding) and
// unit tests see each one; anything else goes through CustomResource.
import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { K8sObject } from "./k8s-object";

type Constructor = new (name: string, args: any, opts?: pulumi.CustomResourceOptions) => pulumi.CustomResource;

const TYPED: Record<string, Constructor> = {
  "v1/Namespace": k8s.core.v1.Namespace,
  "v1/Service": k8s.core.v1.Service,
  "v1/Secret": k8s.core.v1.Secret,
  "v1/ConfigMap": k8s.core.v1.ConfigMap,
  "v1/PersistentVolumeClaim": k8s.core.v1.PersistentVolumeClaim,
  "apps/v1/Deployment": k8s.apps.v1.Deployment,
  "apps/v1/StatefulSet": k8s.apps.v1.StatefulSet,
  "batch/v1/Job": k8s.batch.v1.Job,
  "networking.k8s.io/v1/Ingress": k8s.networking.v1.Ingress,
};

/** Pulumi's logical name: unique per kind, namespace and name. */
export function resourceName(prefix: string, object: K8sObject): string {
  const ns = object.metadata.namespace ? `${object.metadata.namespace}-` : "";
  return `${prefix}-${object.kind.toLowerCase()}-${ns}${object.metadata.name}`;
}

export function applyObjects(
  prefix: string,
  objects: K8sObject[],
  opts: pulumi.CustomResourceOptions,
): pulumi.CustomResource[] {
  return objects.map((object) => {
    const Typed = TYPED[`${object.apiVersion}/${object.kind}`];
    const name = resourceName(prefix, object);
    return Typed ? new Typed(name, object, opts) : new k8s.apiextensions.CustomResource(name, object as any, opts);
  });
}
