// What a kind cluster with ingress-nginx has and a bare control plane lacks, kept to the API side:
// - the default StorageClass "standard" and its provisioner (local-path-provisioner on kind): a
//   hostPath PersistentVolume reserved for each new claim; the controller-manager's binder binds it,
//   and a released volume is deleted (reclaim policy Delete is the provisioner's job);
// - the default IngressClass "nginx", whose Ingresses get the address ingress-nginx publishes on kind
//   (--publish-status-address=localhost): what Pulumi waits for before an Ingress counts as ready.
// Nothing serves traffic: like kwok's pods, this is the cluster's bookkeeping without a data plane.
import { join } from "node:path";
import type { KubeApi, KubeObject } from "./kube-api";

export const STORAGE_CLASS = "standard";
export const INGRESS_CLASS = "nginx";
const PROVISIONER = "bun-shop.local/host-path";
const FIELD_MANAGER = "bun-shop-stand-ins";

const storageClass = {
  apiVersion: "storage.k8s.io/v1",
  kind: "StorageClass",
  metadata: { name: STORAGE_CLASS, annotations: { "storageclass.kubernetes.io/is-default-class": "true" } },
  provisioner: PROVISIONER,
  reclaimPolicy: "Delete",
  volumeBindingMode: "Immediate",
};

const ingressClass = {
  apiVersion: "networking.k8s.io/v1",
  kind: "IngressClass",
  metadata: { name: INGRESS_CLASS, annotations: { "ingressclass.kubernetes.io/is-default-class": "true" } },
  spec: { controller: "k8s.io/ingress-nginx" },
};

interface ClaimSpec {
  storageClassName?: string;
  volumeName?: string;
  accessModes: string[];
  resources: { requests: { storage: string } };
}

function hostPathVolume(claim: KubeObject, root: string) {
  const spec = claim.spec as ClaimSpec;
  const uid = claim.metadata.uid as string;
  return {
    apiVersion: "v1",
    kind: "PersistentVolume",
    metadata: { name: `pvc-${uid}`, annotations: { "pv.kubernetes.io/provisioned-by": PROVISIONER } },
    spec: {
      storageClassName: STORAGE_CLASS,
      accessModes: spec.accessModes,
      capacity: { storage: spec.resources.requests.storage },
      persistentVolumeReclaimPolicy: "Delete",
      claimRef: { apiVersion: "v1", kind: "PersistentVolumeClaim", namespace: claim.metadata.namespace, name: claim.metadata.name, uid },
      hostPath: { path: join(root, `pvc-${uid}`), type: "DirectoryOrCreate" },
    },
  };
}

/** One round of each stand-in's work. */
async function reconcile(api: KubeApi, volumesRoot: string, provisioned: Set<string>) {
  for (const claim of await api.list("v1", "PersistentVolumeClaim")) {
    const spec = claim.spec as ClaimSpec;
    const uid = claim.metadata.uid as string;
    if (spec.storageClassName !== STORAGE_CLASS || spec.volumeName || provisioned.has(uid)) continue;
    await api.apply(hostPathVolume(claim, volumesRoot), FIELD_MANAGER);
    provisioned.add(uid);
  }
  for (const volume of await api.list("v1", "PersistentVolume")) {
    const provisionedBy = (volume.metadata.annotations as Record<string, string> | undefined)?.["pv.kubernetes.io/provisioned-by"];
    if (provisionedBy === PROVISIONER && (volume.status as { phase?: string } | undefined)?.phase === "Released") {
      await api.remove("v1", "PersistentVolume", volume.metadata.name);
    }
  }
  for (const ingress of await api.list("networking.k8s.io/v1", "Ingress")) {
    const className = (ingress.spec as { ingressClassName?: string }).ingressClassName ?? INGRESS_CLASS;
    const published = (ingress.status as any)?.loadBalancer?.ingress?.length > 0;
    if (className !== INGRESS_CLASS || published) continue;
    await api.patchStatus(ingress, { status: { loadBalancer: { ingress: [{ hostname: "localhost" }] } } });
  }
}

/** Installs the classes and runs the stand-ins every half second until stop(). */
export async function startStandIns(api: KubeApi, volumesRoot: string) {
  await api.apply(storageClass, FIELD_MANAGER);
  await api.apply(ingressClass, FIELD_MANAGER);
  let running = true;
  const provisioned = new Set<string>();
  const loop = (async () => {
    while (running) {
      // A failed round (the server stopping, a conflict) is retried by the next one.
      await reconcile(api, volumesRoot, provisioned).catch(() => {});
      await Bun.sleep(500);
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
    },
  };
}
