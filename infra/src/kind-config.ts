// The kind cluster's config: one node that maps host ports 80/443 into the node and carries the
// ingress-ready label, so the ingress-nginx controller (hostPort) runs there and answers on localhost.
import { stringify } from "yaml";
import type { ClusterSettings } from "./settings";

export function buildKindConfig(settings: ClusterSettings) {
  return {
    kind: "Cluster",
    apiVersion: "kind.x-k8s.io/v1alpha4",
    name: settings.name,
    nodes: [
      {
        role: "control-plane",
        image: settings.nodeImage,
        kubeadmConfigPatches: [
          "kind: InitConfiguration\nnodeRegistration:\n  kubeletExtraArgs:\n    node-labels: \"ingress-ready=true\"\n",
        ],
        extraPortMappings: [
          { containerPort: 80, hostPort: settings.httpPort, protocol: "TCP" },
          { containerPort: 443, hostPort: settings.httpsPort, protocol: "TCP" },
        ],
      },
    ],
  };
}

export function kindConfigYaml(settings: ClusterSettings): string {
  return stringify(buildKindConfig(settings));
}
