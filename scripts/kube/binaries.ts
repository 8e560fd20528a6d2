// The local control plane's programs, pinned: versions and build recipes that work from the Go module
// proxy alone (issue 17). Each is built once into .cache/kube/<name>-<version>/.
import type { GoBuild } from "../go-build";

export const KUBERNETES_VERSION = "v1.34.4";
const [major, minor] = KUBERNETES_VERSION.slice(1).split(".");

// k8s.io/kubernetes replaces its staging modules with folders the proxy's zip leaves out; each is
// published on its own as v0.<minor>.<patch>.
const STAGING = [
  "api", "apiextensions-apiserver", "apimachinery", "apiserver", "cli-runtime", "client-go", "cloud-provider",
  "cluster-bootstrap", "code-generator", "component-base", "component-helpers", "controller-manager", "cri-api",
  "cri-client", "csi-translation-lib", "dynamic-resource-allocation", "endpointslice", "externaljwt", "kms",
  "kube-aggregator", "kube-controller-manager", "kube-proxy", "kube-scheduler", "kubectl", "kubelet", "metrics",
  "mount-utils", "pod-security-admission", "sample-apiserver", "sample-cli-plugin", "sample-controller",
];
const stagingVersion = `v0${KUBERNETES_VERSION.slice(2)}`;

export const kubernetesBuild: GoBuild = {
  cacheKey: `kube/kubernetes-${KUBERNETES_VERSION}`,
  module: "k8s.io/kubernetes",
  version: KUBERNETES_VERSION,
  binaries: {
    "k8s.io/kubernetes/cmd/kube-apiserver": "kube-apiserver",
    "k8s.io/kubernetes/cmd/kube-controller-manager": "kube-controller-manager",
    "k8s.io/kubernetes/cmd/kube-scheduler": "kube-scheduler",
  },
  replaces: Object.fromEntries(STAGING.map((m) => [`k8s.io/${m}`, `k8s.io/${m} ${stagingVersion}`])),
  // Without a version clients (and kwok) refuse the server: the default is v0.0.0-master.
  ldflags: ["k8s.io/component-base/version", "k8s.io/client-go/pkg/version"].flatMap((pkg) => [
    `-X ${pkg}.gitVersion=${KUBERNETES_VERSION}`,
    `-X ${pkg}.gitMajor=${major}`,
    `-X ${pkg}.gitMinor=${minor}`,
    `-X ${pkg}.gitTreeState=clean`,
  ]),
  env: { CGO_ENABLED: "0" },
};

/** etcd's API over SQLite: no etcd to install, one file of state. */
export const kineBuild: GoBuild = {
  cacheKey: "kube/kine-v0.17.5",
  module: "github.com/k3s-io/kine",
  version: "v0.17.5",
  binaries: { "github.com/k3s-io/kine": "kine" },
  env: { CGO_ENABLED: "1" }, // mattn/go-sqlite3
};

/** Fake nodes: pods are scheduled, "run" and report Ready without a container runtime. */
export const kwokBuild: GoBuild = {
  cacheKey: "kube/kwok-v0.8.0",
  module: "sigs.k8s.io/kwok",
  version: "v0.8.0",
  binaries: { "sigs.k8s.io/kwok/cmd/kwok": "kwok" },
  // kwok does nothing to nodes and pods without stages: the "fast" ones it ships (ready at once).
  files: Object.fromEntries(
    ["node/fast/node-initialize", "node/heartbeat-with-lease/node-heartbeat-with-lease", "pod/fast/pod-ready", "pod/fast/pod-complete", "pod/fast/pod-delete"].map(
      (stage) => [`stages/${stage.split("/").at(-1)}.yaml`, { module: "sigs.k8s.io/kwok", path: `kustomize/stage/${stage}.yaml` }],
    ),
  ),
  ldflags: ["-X sigs.k8s.io/kwok/pkg/consts.Version=v0.8.0"],
  env: { CGO_ENABLED: "0" },
};

/** ArgoCD's Application CRD, from the module of the ArgoCD version the pinned chart installs. */
export const argoCdCrdsBuild: GoBuild = {
  cacheKey: "kube/argo-cd-v2.13.3",
  module: "github.com/argoproj/argo-cd/v2",
  version: "v2.13.3",
  binaries: {},
  files: { "application-crd.yaml": { module: "github.com/argoproj/argo-cd/v2", path: "manifests/crds/application-crd.yaml" } },
};

/**
 * CloudNativePG's Cluster and Database CRDs, from the module of the operator version the pinned chart
 * installs (infra/src/settings.ts): the API server then checks the shop's PostgreSQL objects against
 * the operator's own schemas, without its chart or image.
 */
export const cloudNativePgCrdsBuild: GoBuild = {
  cacheKey: "kube/cloudnative-pg-v1.27.0",
  module: "github.com/cloudnative-pg/cloudnative-pg",
  version: "v1.27.0",
  binaries: {},
  files: Object.fromEntries(
    ["clusters", "databases"].map((plural) => [
      `${plural}-crd.yaml`,
      { module: "github.com/cloudnative-pg/cloudnative-pg", path: `config/crd/bases/postgresql.cnpg.io_${plural}.yaml` },
    ]),
  ),
};

export const CONTROL_PLANE_BUILDS = [kineBuild, kwokBuild, kubernetesBuild, argoCdCrdsBuild, cloudNativePgCrdsBuild];
