// Opt-in (RUN_CONTAINER_TESTS=1, as root on a Debian machine; CI runs it through
// scripts/containers/e2e.sh): the five split-mode images, built from the real Dockerfile, run as
// containers with production config and a real Kafka broker, and the same end-to-end checkout
// scenario as the all-in-one and split-process tests runs against the gateway container.
//
// Network: every container shares the host's network namespace (podman --network=host) and listens
// on its own port on 127.0.0.1. The test broker (scripts/kafka/broker.ts) listens on, and advertises,
// 127.0.0.1 only, so on a bridge network a container could bootstrap through a forwarded port but
// would then be sent to its own loopback by the broker's metadata. Host networking keeps the wiring
// real (HTTP between containers, Kafka for events) without a second broker configuration.
//
// Images: built (cached layers make a rebuild take seconds) by scripts/containers/build-images.sh,
// unless CONTAINER_IMAGES_BUILT=1 says the caller has just built them.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { startKafkaOnFreePorts, type KafkaBroker } from "../../scripts/kafka/broker";
import { runCheckoutScenario } from "../scenarios/checkout-scenario";
import { DEMO } from "../support/http-client";
import { freePort, repoRoot, tempDir } from "../support/processes";
import { eventually } from "../support/sse";

const enabled = process.env.RUN_CONTAINER_TESTS === "1";
const SERVICES = ["catalog", "cart", "order", "payment", "gateway"] as const;
type Service = (typeof SERVICES)[number];
// Dependencies first, so every service reaches what it calls from its first request.
const START_ORDER: Service[][] = [["catalog", "payment"], ["cart", "order"], ["gateway"]];
const PEERS = ["catalog", "cart", "order", "payment"] as const;

const IMAGE_PREFIX = process.env.IMAGE_PREFIX ?? "localhost/bun-shop";
const PODMAN_ENV = {
  ...process.env,
  CONTAINERS_CONF: process.env.CONTAINERS_CONF ?? join(repoRoot, "scripts/containers/containers.conf"),
};
const runId = `${process.pid}-${randomBytes(3).toString("hex")}`;
const LABEL = `bun-shop-e2e=${runId}`;
const nameOf = (s: Service) => `bun-shop-e2e-${s}-${runId}`;
const volumeOf = (s: Service) => `bun-shop-e2e-${s}-data-${runId}`;

const log = (msg: string) => console.error(`[images-e2e ${new Date().toISOString().slice(11, 19)}] ${msg}`);

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** One podman command, killed if it outlives `timeoutMs`. */
async function podman(args: string[], timeoutMs = 60_000): Promise<Run> {
  const proc = Bun.spawn(["podman", ...args], { env: PODMAN_ENV, stdout: "pipe", stderr: "pipe", timeout: timeoutMs, killSignal: "SIGKILL" });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { code, stdout: stdout.trim(), stderr: stderr.trim() };
}

async function podmanOk(args: string[], timeoutMs = 60_000): Promise<string> {
  const r = await podman(args, timeoutMs);
  if (r.code !== 0) throw new Error(`podman ${args.join(" ")} failed (exit ${r.code}): ${r.stderr || r.stdout}`);
  return r.stdout;
}

/** The last lines of every container's output, for a failure message. */
async function containerLogs(services: readonly Service[] = SERVICES, lines = 40): Promise<string> {
  const parts = await Promise.all(
    services.map(async (s) => {
      const r = await podman(["logs", "--tail", String(lines), nameOf(s)], 15_000);
      return `----- ${s} (${nameOf(s)}) -----\n${[r.stdout, r.stderr].filter(Boolean).join("\n") || "(no output)"}`;
    }),
  );
  return parts.join("\n");
}

let kafka: KafkaBroker | undefined;
let kafkaDir: string | undefined;
const ports = {} as Record<Service, number>;
// Production serves /metrics on METRICS_PORT (9464 by default): on one host network each needs its own.
const metricsPorts = {} as Record<Service, number>;
const started: Service[] = [];
const volumes: Service[] = [];
const url = (s: Service) => `http://127.0.0.1:${ports[s]}`;

function buildImages(): Promise<void> {
  if (process.env.CONTAINER_IMAGES_BUILT === "1") return Promise.resolve();
  const t = Date.now();
  const proc = Bun.spawn(["bash", join(repoRoot, "scripts/containers/build-images.sh"), ...SERVICES], {
    stdout: "inherit",
    stderr: "inherit",
    timeout: 900_000,
    killSignal: "SIGKILL",
  });
  return proc.exited.then((code) => {
    if (code !== 0) throw new Error(`scripts/containers/build-images.sh exited with ${code}`);
    log(`images built in ${Math.round((Date.now() - t) / 1000)} s`);
  });
}

async function startContainer(service: Service, kafkaBrokers: string, tokenSecret: string): Promise<void> {
  await podmanOk(["volume", "create", "--label", LABEL, volumeOf(service)]);
  volumes.push(service);
  const env: Record<string, string> = {
    NODE_ENV: "production",
    PORT: String(ports[service]),
    METRICS_PORT: String(metricsPorts[service]),
    // Host network: listen on loopback only, not on every interface of the machine.
    HOST: "127.0.0.1",
    LOG_LEVEL: "info",
    TOKEN_SECRET: tokenSecret,
    // The scenario signs in with these; production has no defaults for them.
    DEMO_ALICE_PASSWORD: DEMO.alice,
    DEMO_BOB_PASSWORD: DEMO.bob,
    DEMO_OPS_PASSWORD: DEMO.ops,
    KAFKA_BROKERS: kafkaBrokers,
  };
  for (const peer of PEERS) if (peer !== service) env[`${peer.toUpperCase()}_URL`] = url(peer);
  // The gateway says whether a token's session is live, and its X-Forwarded-For is believed.
  env.IDENTITY_URL = url("gateway");
  if (service !== "gateway") env.TRUSTED_PROXIES = "127.0.0.1";
  started.push(service);
  await podmanOk([
    "run", "--detach", "--name", nameOf(service), "--label", LABEL, "--hostname", `shop-${service}`,
    "--network=host",
    // As Kubernetes runs them: non-root (the image's USER), read-only root, no capabilities.
    "--read-only", "--tmpfs", "/tmp", "--cap-drop=ALL", "--security-opt=no-new-privileges",
    // The image's HEALTHCHECK needs systemd timers under podman (none here); the smoke test runs it
    // by hand, and this test polls /health/ready itself.
    "--no-healthcheck",
    "-v", `${volumeOf(service)}:/data`,
    ...Object.entries(env).flatMap(([k, v]) => ["-e", `${k}=${v}`]),
    `${IMAGE_PREFIX}-${service}:dev`,
  ]);
}

/** Polls GET /health/ready (bounded), failing fast with the logs if the container stops. */
async function waitReady(service: Service, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "";
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${url(service)}/health/ready`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return;
      last = `HTTP ${res.status}: ${(await res.text()).slice(0, 300)}`;
    } catch (error) {
      last = (error as Error).message;
    }
    const running = await podman(["inspect", "--format", "{{.State.Running}} {{.State.ExitCode}}", nameOf(service)], 15_000);
    if (!running.stdout.startsWith("true")) {
      throw new Error(`${service} container stopped (${running.stdout || running.stderr}) before it was ready\n${await containerLogs([service], 80)}`);
    }
    await Bun.sleep(250);
  }
  throw new Error(`${service} not ready at ${url(service)}/health/ready after ${timeoutMs} ms (${last})\n${await containerLogs([service], 80)}`);
}

/** Containers and volumes of earlier runs whose test process is gone (killed before its afterAll). */
async function removeStaleRuns(): Promise<void> {
  const alive = (run: string) => {
    try {
      process.kill(Number(run.split("-")[0]), 0);
      return true;
    } catch (e) {
      return (e as NodeJS.ErrnoException).code === "EPERM";
    }
  };
  const list = async (args: string[]) =>
    (await podman(args, 15_000)).stdout.split("\n").filter(Boolean).map((l) => l.split(" ")).filter(([, run]) => run && !alive(run));
  const containers = await list(["ps", "-a", "--filter", "label=bun-shop-e2e", "--format", '{{.ID}} {{index .Labels "bun-shop-e2e"}}']);
  if (containers.length) await podman(["rm", "--force", "--time", "5", ...containers.map(([id]) => id!)], 60_000);
  const vols = await list(["volume", "ls", "--filter", "label=bun-shop-e2e", "--format", '{{.Name}} {{index .Labels "bun-shop-e2e"}}']);
  if (vols.length) await podman(["volume", "rm", "--force", ...vols.map(([name]) => name!)], 60_000);
  if (containers.length || vols.length) log(`removed ${containers.length} containers and ${vols.length} volumes left by earlier runs`);
}

/** Bounded, and never throws: it runs in afterAll whatever happened before. */
async function cleanup(): Promise<void> {
  if (started.length) {
    const r = await podman(["rm", "--force", "--time", "5", ...started.map(nameOf)], 60_000);
    if (r.code !== 0) log(`podman rm: ${r.stderr}`);
  }
  // Anything of this run the lists above missed (a run interrupted half-way): by label.
  const leftovers = await podman(["ps", "-aq", "--filter", `label=${LABEL}`], 15_000);
  if (leftovers.stdout) await podman(["rm", "--force", "--time", "5", ...leftovers.stdout.split("\n")], 60_000);
  if (volumes.length) {
    const r = await podman(["volume", "rm", "--force", ...volumes.map(volumeOf)], 60_000);
    if (r.code !== 0) log(`podman volume rm: ${r.stderr}`);
  }
  await kafka?.stop().catch((e) => log(`kafka stop: ${(e as Error).message}`));
  if (kafkaDir) rmSync(kafkaDir, { recursive: true, force: true });
}

describe.skipIf(!enabled)("split-mode images on one network with Kafka", () => {
  beforeAll(async () => {
    if (!enabled) return;
    const t = Date.now();
    for (const s of SERVICES) [ports[s], metricsPorts[s]] = [freePort(), freePort()];
    await removeStaleRuns();
    // The build is CPU-bound and the broker mostly waits: side by side.
    const [started, built] = await Promise.allSettled([
      startKafkaOnFreePorts({ dataDir: (kafkaDir = tempDir("kafka-containers-")) }),
      buildImages(),
    ]);
    if (started.status === "fulfilled") kafka = started.value; // so afterAll stops it whatever failed
    if (started.status === "rejected") throw started.reason;
    if (built.status === "rejected") throw built.reason;
    const broker = started.value;
    log(`kafka ready on ${broker.brokers}`);
    const tokenSecret = randomBytes(32).toString("base64url"); // 43 characters
    for (const group of START_ORDER) {
      await Promise.all(group.map((s) => startContainer(s, broker.brokers, tokenSecret)));
      await Promise.all(group.map((s) => waitReady(s)));
    }
    log(`${SERVICES.length} containers ready after ${Math.round((Date.now() - t) / 1000)} s: ${SERVICES.map((s) => `${s}=${url(s)}`).join(" ")}`);
  }, 1_000_000);

  afterAll(async () => {
    if (!enabled) return;
    await cleanup();
  }, 180_000);

  test("the checkout scenario passes against the gateway container", async () => {
    const t = Date.now();
    try {
      const result = await runCheckoutScenario(url("gateway"), { eventually: (check) => eventually(check, 30_000) });
      expect(result.paidOrderId).toBeString();
    } catch (error) {
      log(`scenario failed; container logs:\n${await containerLogs()}`);
      throw error;
    }
    log(`scenario passed in ${Math.round((Date.now() - t) / 1000)} s`);
  }, 180_000);

  test("every container runs the bundle as uid 1000 under tini, and stops cleanly on SIGTERM", async () => {
    for (const s of SERVICES) {
      expect(await podmanOk(["exec", nameOf(s), "id", "-u"], 15_000)).toBe("1000");
      expect(await podmanOk(["exec", nameOf(s), "cat", "/proc/1/comm"], 15_000)).toBe("tini");
    }
    // The gateway first, as a rollout would drain it; then the modules, with Kafka still up.
    const stopped: Record<string, string> = {};
    for (const group of [["gateway"], ["cart", "order", "catalog", "payment"]] as Service[][]) {
      await Promise.all(
        group.map(async (s) => {
          const t = Date.now();
          await podmanOk(["stop", "--time", "10", nameOf(s)], 30_000);
          const ms = Date.now() - t;
          const code = await podmanOk(["inspect", "--format", "{{.State.ExitCode}}", nameOf(s)], 15_000);
          stopped[s] = `exit ${code} in ${ms} ms`;
        }),
      );
    }
    log(`stopped: ${JSON.stringify(stopped)}`);
    for (const s of SERVICES) expect(stopped[s]).toMatch(/^exit 0 in \d+ ms$/);
    // Well before the 10 s kill timeout: the signal reached Bun, which closed its Kafka clients.
    for (const s of SERVICES) expect(Number(stopped[s]!.match(/in (\d+) ms/)![1])).toBeLessThan(9_000);
  }, 120_000);
});
