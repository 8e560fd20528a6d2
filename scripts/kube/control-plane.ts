// A Kubernetes control plane on loopback, without containers: kine (etcd's API over SQLite),
// kube-apiserver (static token), kube-controller-manager, kube-scheduler, and kwok running one fake
// node whose pods become Ready (and Job pods Succeeded) without a container runtime; stand-ins for
// what a kind cluster adds (stand-ins.ts): a default StorageClass with a provisioner, an ingress class.
//   bun scripts/kube/control-plane.ts prepare       # build the programs once into .cache/kube (npm test does)
//   bun scripts/kube/control-plane.ts start [dir]   # run until Ctrl-C; prints the kubeconfig's path
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createConnection } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { CONTROL_PLANE_BUILDS, KUBERNETES_VERSION, argoCdCrdsBuild, cloudNativePgCrdsBuild, kineBuild, kubernetesBuild, kwokBuild } from "./binaries";
import { ephemeralPort } from "../ephemeral-port";
import { type GoBuild, cachedPaths, ensureGoBuild, isBuilt } from "../go-build";
import { KubeApi, type KubeAccess, waitFor } from "./kube-api";
import { startStandIns } from "./stand-ins";

export const FAKE_NODE = "kwok-node-0";
export { STORAGE_CLASS } from "./stand-ins";
/** The annotation kwok looks for on the nodes it runs. */
const KWOK_NODE_ANNOTATION = "kwok.x-k8s.io/node";

export interface ControlPlane extends KubeAccess {
  api: KubeApi;
  dir: string;
  /** A kubeconfig file for the admin token (kubectl, Pulumi's kubernetes provider). */
  kubeconfigPath: string;
  kubeconfig: string;
  /** ArgoCD's Application CRD, from ArgoCD's own source. */
  argoCdApplicationCrd: string;
  /** CloudNativePG's Cluster and Database CRDs, from the operator's own source. */
  cloudNativePgCrds: string[];
  /** The processes: kine, kube-apiserver, kube-controller-manager, kube-scheduler, kwok. */
  pids: number[];
  /** Ends every process (SIGTERM, then SIGKILL after 10 s) and removes the folder if it made it. */
  stop(): Promise<void>;
}

/** Builds whatever is not in .cache/kube yet, one program at a time (each build uses every core). */
export async function prepareControlPlane(): Promise<void> {
  for (const build of CONTROL_PLANE_BUILDS) await ensureGoBuild(build);
}

function built(build: GoBuild): Record<string, string> {
  if (!isBuilt(build)) {
    throw new Error(
      `.cache/${build.cacheKey} is missing: build the local control plane first with ` +
        "`bun scripts/kube/control-plane.ts prepare` (npm test does it before the tests; 8-15 minutes the first time)",
    );
  }
  return cachedPaths(build);
}

export const controlPlaneIsBuilt = () => CONTROL_PLANE_BUILDS.every(isBuilt);

function canConnect(port: number): Promise<boolean> {
  return new Promise((ok) => {
    const socket = createConnection({ host: "127.0.0.1", port }, () => {
      socket.end();
      ok(true);
    });
    socket.once("error", () => ok(false));
  });
}

function openssl(args: string[], cwd: string) {
  const proc = Bun.spawnSync(["openssl", ...args], { cwd, stderr: "pipe" });
  if (proc.exitCode !== 0) throw new Error(`openssl ${args.join(" ")} failed: ${proc.stderr.toString()}`);
}

/** A CA, the API server's certificate from it (for 127.0.0.1), and the service-account signing key. */
function writeCertificates(dir: string) {
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  openssl(["req", "-x509", ...ec, "-keyout", "ca.key", "-out", "ca.crt", "-days", "30", "-subj", "/CN=bun-shop-local-ca"], dir);
  openssl(["req", ...ec, "-keyout", "apiserver.key", "-out", "apiserver.csr", "-subj", "/CN=kube-apiserver"], dir);
  writeFileSync(
    join(dir, "apiserver.ext"),
    "subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,IP:10.96.0.1\n",
  );
  openssl(["x509", "-req", "-in", "apiserver.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", "apiserver.crt", "-days", "30", "-extfile", "apiserver.ext"], dir);
  openssl(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-out", "sa.key"], dir);
  openssl(["pkey", "-in", "sa.key", "-pubout", "-out", "sa.pub"], dir);
}

export function kubeconfigYaml(access: KubeAccess, name = "bun-shop-local"): string {
  // JSON is YAML; every Kubernetes client reads it.
  return JSON.stringify(
    {
      apiVersion: "v1",
      kind: "Config",
      clusters: [{ name, cluster: { server: access.server, "certificate-authority-data": Buffer.from(access.ca).toString("base64") } }],
      users: [{ name: "admin", user: { token: access.token } }],
      contexts: [{ name, context: { cluster: name, user: "admin" } }],
      "current-context": name,
    },
    null,
    2,
  );
}

interface Running {
  name: string;
  proc: Subprocess;
  log: string;
}

function tail(file: string, chars = 3000): string {
  try {
    return readFileSync(file, "utf8").slice(-chars);
  } catch {
    return "";
  }
}

function startProcess(dir: string, name: string, cmd: string[]): Running {
  const log = join(dir, `${name}.log`);
  const fd = openSync(log, "a");
  const proc = Bun.spawn(cmd, { cwd: dir, stdin: "ignore", stdout: fd, stderr: fd });
  closeSync(fd);
  return { name, proc, log };
}

async function stopProcess({ proc }: Running) {
  proc.kill("SIGTERM");
  const exited = await Promise.race([proc.exited.then(() => true), Bun.sleep(10_000).then(() => false)]);
  if (!exited) {
    proc.kill("SIGKILL");
    await proc.exited;
  }
}

/** Waits until `ready` holds, failing early (with the log's end) if the process exits first. */
async function awaitReady(running: Running, what: string, ready: () => Promise<boolean>, timeoutMs: number) {
  let exitCode: number | undefined;
  running.proc.exited.then((code) => (exitCode = code));
  await waitFor(
    what,
    async () => {
      if (exitCode !== undefined) throw new Error(`${running.name} exited (${exitCode}):\n${tail(running.log)}`);
      return (await ready()) ? true : undefined;
    },
    { timeoutMs, intervalMs: 250, describe: async () => `${running.name} log:\n${tail(running.log)}` },
  ).catch((e) => {
    throw exitCode !== undefined ? new Error(`${running.name} exited (${exitCode}):\n${tail(running.log)}`) : e;
  });
}

const PORT_TAKEN = /address already in use/;

/** Starts a listener on a port picked now; picks again (up to 5 times) if another process took it first. */
async function startOnFreePort(dir: string, name: string, cmd: (port: number) => string[], ready: (port: number) => Promise<boolean>, timeoutMs: number) {
  for (let attempt = 1; ; attempt++) {
    const port = await ephemeralPort();
    const running = startProcess(dir, name, cmd(port));
    try {
      await awaitReady(running, `${name} on 127.0.0.1:${port}`, () => ready(port), timeoutMs);
      return { running, port };
    } catch (e) {
      await stopProcess(running);
      if (attempt >= 5 || !PORT_TAKEN.test(tail(running.log))) throw e;
    }
  }
}

export interface StartOptions {
  /** Where state, certificates, the kubeconfig and the logs go (a new temporary folder by default). */
  dir?: string;
}

export async function startControlPlane(options: StartOptions = {}): Promise<ControlPlane> {
  const bins = { ...built(kineBuild), ...built(kubernetesBuild), ...built(kwokBuild) };
  const { "application-crd.yaml": crdFile } = built(argoCdCrdsBuild);
  const cnpgCrdFiles = Object.values(built(cloudNativePgCrdsBuild));
  const ownDir = !options.dir;
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), "kube-control-plane-"));
  mkdirSync(dir, { recursive: true });
  const started: Running[] = [];
  const killAll = () => started.forEach(({ proc }) => proc.kill("SIGKILL"));
  process.once("exit", killAll); // no orphans if the caller dies without stop()

  const stop = async () => {
    process.off("exit", killAll);
    for (const running of [...started].reverse()) await stopProcess(running);
    if (ownDir) rmSync(dir, { recursive: true, force: true });
  };

  try {
    writeCertificates(dir);
    const token = Buffer.from(crypto.getRandomValues(new Uint8Array(24))).toString("hex");
    writeFileSync(join(dir, "tokens.csv"), `${token},admin,admin,system:masters\n`);

    const kine = await startOnFreePort(
      dir,
      "kine",
      (port) => [bins.kine!, `--listen-address=tcp://127.0.0.1:${port}`, `--endpoint=sqlite://${join(dir, "kine.db")}`, "--metrics-bind-address=0"],
      canConnect,
      60_000,
    );
    started.push(kine.running);

    const ca = readFileSync(join(dir, "ca.crt"), "utf8");
    let access: KubeAccess | undefined;
    const apiserver = await startOnFreePort(
      dir,
      "kube-apiserver",
      (port) => [
        bins["kube-apiserver"]!,
        `--etcd-servers=http://127.0.0.1:${kine.port}`,
        "--bind-address=127.0.0.1",
        "--advertise-address=127.0.0.1",
        `--secure-port=${port}`,
        `--cert-dir=${dir}`,
        `--tls-cert-file=${join(dir, "apiserver.crt")}`,
        `--tls-private-key-file=${join(dir, "apiserver.key")}`,
        `--client-ca-file=${join(dir, "ca.crt")}`,
        `--token-auth-file=${join(dir, "tokens.csv")}`,
        "--authorization-mode=RBAC",
        "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
        `--service-account-key-file=${join(dir, "sa.pub")}`,
        `--service-account-signing-key-file=${join(dir, "sa.key")}`,
        "--service-cluster-ip-range=10.96.0.0/16",
        "--allow-privileged=true",
        "--enable-priority-and-fairness=false",
        "--profiling=false",
      ],
      async (port) => {
        access = { server: `https://127.0.0.1:${port}`, token, ca };
        const res = await fetch(`${access.server}/readyz`, {
          headers: { authorization: `Bearer ${token}` },
          tls: { ca },
          signal: AbortSignal.timeout(5_000),
        }).catch(() => undefined);
        return res?.status === 200;
      },
      180_000,
    );
    started.push(apiserver.running);
    const api = new KubeApi(access!);
    const kubeconfig = kubeconfigYaml(access!);
    const kubeconfigPath = join(dir, "kubeconfig");
    writeFileSync(kubeconfigPath, kubeconfig, { mode: 0o600 });

    const common = [`--kubeconfig=${kubeconfigPath}`, "--leader-elect=false", "--secure-port=0"];
    started.push(
      startProcess(dir, "kube-controller-manager", [
        bins["kube-controller-manager"]!,
        ...common,
        `--service-account-private-key-file=${join(dir, "sa.key")}`,
        `--root-ca-file=${join(dir, "ca.crt")}`,
        "--controllers=*",
        "--cluster-name=bun-shop-local",
      ]),
      startProcess(dir, "kube-scheduler", [bins["kube-scheduler"]!, ...common]),
      startProcess(dir, "kwok", [
        bins.kwok!,
        `--kubeconfig=${kubeconfigPath}`,
        "--manage-all-nodes=false",
        `--manage-nodes-with-annotation-selector=${KWOK_NODE_ANNOTATION}=fake`,
        `--config=${stagesFile(bins.kwok!)}`,
        // Renew the node's Lease like a kubelet: without it the node lifecycle controller marks the
        // node NotReady after its 40 s grace period, and every pod on it not ready.
        "--node-lease-duration-seconds=40",
        "--server-address=",
      ]),
    );

    await api.apply(fakeNode(), "bun-shop-control-plane");
    const [controllerManager, scheduler, kwok] = started.slice(2);
    await awaitReady(kwok!, `node ${FAKE_NODE} Ready (kwok)`, async () => {
      const node = await api.read("v1", "Node", FAKE_NODE);
      return (node?.status as any)?.conditions?.some((c: any) => c.type === "Ready" && c.status === "True") ?? false;
    }, 120_000);
    // The controller-manager's service-account controller makes "default" in each namespace; pods need it.
    await awaitReady(controllerManager!, "the default ServiceAccount (kube-controller-manager)", async () =>
      (await api.read("v1", "ServiceAccount", "default", "default")) !== undefined, 120_000);
    for (const running of [controllerManager!, scheduler!, kwok!]) {
      if (running.proc.exitCode !== null) throw new Error(`${running.name} exited (${running.proc.exitCode}):\n${tail(running.log)}`);
    }

    const standIns = await startStandIns(api, join(dir, "volumes"));
    const stopAll = stop;
    return {
      ...access!,
      api,
      dir,
      kubeconfigPath,
      kubeconfig,
      argoCdApplicationCrd: readFileSync(crdFile!, "utf8"),
      cloudNativePgCrds: cnpgCrdFiles.map((file) => readFileSync(file, "utf8")),
      pids: started.map(({ proc }) => proc.pid),
      stop: async () => {
        await standIns.stop();
        await stopAll();
      },
    };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** kwok's stage files, as one multi-document config. */
function stagesFile(kwokBinary: string): string {
  const dir = join(kwokBinary, "..", "stages");
  const files = ["node-initialize", "node-heartbeat-with-lease", "pod-ready", "pod-complete", "pod-delete"];
  const merged = join(dir, "..", "kwok-stages.yaml");
  if (!existsSync(merged)) writeFileSync(merged, files.map((f) => readFileSync(join(dir, `${f}.yaml`), "utf8")).join("\n---\n"));
  return merged;
}

function fakeNode() {
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: {
      name: FAKE_NODE,
      annotations: { [KWOK_NODE_ANNOTATION]: "fake", "node.alpha.kubernetes.io/ttl": "0" },
      labels: {
        "kubernetes.io/hostname": FAKE_NODE,
        "kubernetes.io/os": "linux",
        "kubernetes.io/arch": "amd64",
        "ingress-ready": "true",
        type: "kwok",
      },
    },
    spec: { podCIDR: "10.244.0.0/24" },
    status: {
      allocatable: { cpu: "16", memory: "64Gi", pods: "110" },
      capacity: { cpu: "16", memory: "64Gi", pods: "110" },
      nodeInfo: { kubeletVersion: KUBERNETES_VERSION },
    },
  };
}

if (import.meta.main) {
  const [command, dir] = process.argv.slice(2);
  if (command === "prepare") {
    await prepareControlPlane();
    console.log("[control-plane] built: .cache/kube");
  } else if (command === "start") {
    const plane = await startControlPlane({ dir: dir ?? join(tmpdir(), "bun-shop-control-plane") });
    console.log(`[control-plane] up at ${plane.server}\n  export KUBECONFIG=${plane.kubeconfigPath}\n  (Ctrl-C stops it; logs in ${plane.dir})`);
    for (const signal of ["SIGINT", "SIGTERM"] as const) {
      process.once(signal, async () => {
        await plane.stop();
        process.exit(0);
      });
    }
    await new Promise(() => {});
  } else {
    console.error("usage: bun scripts/kube/control-plane.ts prepare | start [dir]");
    process.exit(2);
  }
}
