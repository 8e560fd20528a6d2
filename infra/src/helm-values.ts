// Values for the two Helm charts the stack installs, kept apart from the code that installs them.

/** Helm values that put ingress-nginx on the kind node's mapped ports (kind's own ingress guide). */
export function ingressNginxValues() {
  return {
    controller: {
      hostPort: { enabled: true, ports: { http: 80, https: 443 } },
      nodeSelector: { "ingress-ready": "true", "kubernetes.io/os": "linux" },
      tolerations: [
        { key: "node-role.kubernetes.io/control-plane", operator: "Exists", effect: "NoSchedule" },
      ],
      service: { type: "NodePort" },
      publishService: { enabled: false },
      extraArgs: { "publish-status-address": "localhost" },
      ingressClassResource: { name: "nginx", default: true },
      // One node and one host port: the old pod must go before the new one can bind it.
      updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1 } },
      terminationGracePeriodSeconds: 0,
      admissionWebhooks: { enabled: true },
    },
  };
}

/**
 * Helm values for metrics-server on kind: its kubelets serve certificates no CA signed, so the
 * scrape skips verification (metrics-server's own advice for kind).
 */
export function metricsServerValues() {
  return { args: ["--kubelet-insecure-tls"] };
}

/** Helm values for ArgoCD on a laptop cluster: plain HTTP behind port-forward, no SSO. */
export function argoCdValues() {
  return {
    configs: {
      params: { "server.insecure": true },
      cm: { "timeout.reconciliation": "60s" },
    },
    dex: { enabled: false },
    notifications: { enabled: false },
  };
}
