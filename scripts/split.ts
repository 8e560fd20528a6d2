// `npm run split`: the shop in split mode on one machine, in one command. Starts Kafka (KRaft, on
// loopback) and the five services, each its own Bun process with its own port and data folder,
// prefixes every line with the name of the process it came from, and stops them all, the Kafka JVM
// included, on Ctrl-C or SIGTERM. If one of them dies, the others are stopped and this exits 1.
//
//   PORT           the gateway, the one origin (default 3000); catalog, cart, order and payment
//                  listen on 127.0.0.1 at PORT+1 .. PORT+4
//   REPLICAS       how many processes of each of the four services (default 1; more needs PostgreSQL,
//                  DATABASE_URL): replica k (from 1) listens at PORT+1+10*(k-1) .. PORT+4+10*(k-1),
//                  and every *_URL lists them all
//   DATA_DIR       one folder per process under it (default ./data: data/catalog, ..., data/kafka;
//                  data/order-2 for the second order replica)
//   KAFKA_PORT     the broker's port (default 19092; its controller takes KAFKA_PORT+1)
//   KAFKA_BROKERS  use this broker instead of starting one
// Everything else in the environment (LOG_LEVEL, TOKEN_SECRET, ...) reaches every service.
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Subprocess } from "bun";
import { databaseFor, loadConfig, operatorSignIn } from "../src/platform/config";
import { startKafka, type KafkaBroker } from "./kafka/broker";
import { splitWiring, type SplitService } from "./split-wiring";

const ROOT = resolve(import.meta.dir, "..");
type Service = SplitService;
/** Start order: what a service calls is ready before it starts. Stopped in reverse. */
const WAVES: Service[][] = [["catalog", "payment"], ["cart", "order"], ["gateway"]];
const PORT_OFFSET: Record<Service, number> = { gateway: 0, catalog: 1, cart: 2, order: 3, payment: 4 };
const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 20_000;

const color = process.stdout.isTTY ? (code: number, text: string) => `\x1b[${code}m${text}\x1b[0m` : (_: number, text: string) => text;
const COLORS: Record<string, number> = { split: 1, kafka: 90, catalog: 36, cart: 33, order: 35, payment: 32, gateway: 34 };
const prefix = (name: string) => color(COLORS[name.replace(/-\d+$/, "")] ?? 0, `${name.padEnd(9)} |`) + " ";
const say = (name: string, message: string) => process.stdout.write(`${prefix(name)}${message}\n`);

class SettingError extends Error {}

function portSetting(name: string, fallback: number, room: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port < 1 || port + room > 65535) throw new SettingError(`${name} must be a port from 1 to ${65535 - room}, got "${raw}"`);
  return port;
}

const MAX_REPLICAS = 9;
/** Replica k (from 1) of a service takes the next ten ports up: 3001, 3011, 3021... */
const REPLICA_PORT_STRIDE = 10;

function replicasSetting(): number {
  const raw = process.env.REPLICAS;
  if (raw === undefined || raw === "") return 1;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < 1 || n > MAX_REPLICAS) throw new SettingError(`REPLICAS must be a whole number from 1 to ${MAX_REPLICAS}, got "${raw}"`);
  if (n > 1) {
    let shop: ReturnType<typeof loadConfig>;
    try {
      shop = loadConfig();
    } catch (error) {
      throw new SettingError((error as Error).message);
    }
    const onSqlite = (["catalog", "cart", "order", "payment"] as const).filter((m) => databaseFor(shop, m).engine !== "postgres");
    if (onSqlite.length) {
      throw new SettingError(
        `REPLICAS=${n} needs PostgreSQL: ${onSqlite.join(", ")} would keep ${onSqlite.length === 1 ? "its" : "their"} data in SQLite files of each replica's own (set DATABASE_URL, e.g. from npm run postgres)`,
      );
    }
  }
  return n;
}

/** One process: a service and which of its replicas (1 for the gateway). */
interface Instance {
  service: Service;
  replica: number;
  /** "order" for the first replica, "order-2" for the second: its log prefix and data folder. */
  name: string;
}

function settings() {
  const replicas = replicasSetting();
  const gatewayPort = portSetting("PORT", 3000, 4 + REPLICA_PORT_STRIDE * (replicas - 1));
  return {
    gatewayPort,
    replicas,
    portOf: (s: Service, replica = 1) => gatewayPort + PORT_OFFSET[s] + REPLICA_PORT_STRIDE * (replica - 1),
    dataRoot: resolve(process.env.DATA_DIR || "data"),
    kafkaPort: portSetting("KAFKA_PORT", 19092, 1),
    brokers: process.env.KAFKA_BROKERS || undefined,
    host: process.env.HOST || "0.0.0.0",
  };
}

/** Copies a child's output line by line, each behind the child's name. */
async function prefixLines(name: string, stream: ReadableStream<Uint8Array>, out: NodeJS.WriteStream) {
  const decoder = new TextDecoder();
  const reader = stream.getReader();
  let partial = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    const lines = (partial + decoder.decode(value, { stream: true })).split("\n");
    partial = lines.pop()!;
    for (const line of lines) out.write(`${prefix(name)}${line}\n`);
  }
  if (partial) out.write(`${prefix(name)}${partial}\n`);
}

async function waitUntilReady(name: string, url: string, proc: Subprocess): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let last = "no answer yet";
  while (Date.now() < deadline) {
    if (proc.exitCode !== null || proc.signalCode) throw new Error(`${name} exited (${proc.exitCode ?? proc.signalCode}) before it was ready`);
    try {
      const res = await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return;
      last = `its /health/ready answered ${res.status}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await Bun.sleep(200);
  }
  throw new Error(`${name} was not ready after ${READY_TIMEOUT_MS / 1000} s (${last})`);
}

async function main(): Promise<number> {
  let config: ReturnType<typeof settings>;
  try {
    config = settings();
  } catch (error) {
    if (!(error instanceof SettingError)) throw error;
    say("split", error.message);
    return 78;
  }
  const procs = new Map<string, Subprocess>();
  const instancesOf = (service: Service): Instance[] =>
    Array.from({ length: service === "gateway" ? 1 : config.replicas }, (_, i) => ({ service, replica: i + 1, name: i === 0 ? service : `${service}-${i + 1}` }));
  let broker: KafkaBroker | undefined;
  let stopping: Promise<void> | undefined;
  let failure: string | undefined;
  const stopped = Promise.withResolvers<void>();
  const pipes: Promise<void>[] = [];

  const stopProc = async (name: string) => {
    const proc = procs.get(name);
    if (!proc || proc.exitCode !== null || proc.signalCode) return;
    proc.kill("SIGTERM");
    const ended = await Promise.race([proc.exited.then(() => true), Bun.sleep(STOP_TIMEOUT_MS).then(() => false)]);
    if (!ended) {
      say("split", `${name} did not stop within ${STOP_TIMEOUT_MS / 1000} s: killing it`);
      proc.kill("SIGKILL");
      await proc.exited;
    }
  };
  /** The reverse of the start: the gateway first (no new requests), the broker last (the services flush their events). */
  const stopAll = (why: string) =>
    (stopping ??= (async () => {
      say("split", `${why}: stopping everything`);
      for (const wave of [...WAVES].reverse()) await Promise.all(wave.flatMap(instancesOf).map((i) => stopProc(i.name)));
      if (broker) {
        say("kafka", "stopping the broker");
        await broker.stop();
      }
      say("split", "stopped");
      stopped.resolve();
    })());

  // Ctrl-C reaches the whole process group at once, and the bootstrap passes its own copy on: only a
  // second signal a moment later means "stop waiting".
  let firstSignalAt = 0;
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.on(signal, () => {
      if (firstSignalAt && Date.now() - firstSignalAt > 1_000) {
        for (const proc of procs.values()) proc.kill("SIGKILL");
        broker?.kill();
        process.exit(130);
      }
      firstSignalAt ||= Date.now();
      void stopAll(`${signal} received`);
    });
  }
  /** A process ended on its own. After Ctrl-C the children may notice before this process does: wait a moment for that signal. */
  const died = (what: string) =>
    setTimeout(() => {
      if (stopping) return;
      failure = what;
      void stopAll(failure);
    }, 500);

  const start = async ({ service: name, replica, name: instance }: Instance) => {
    const port = config.portOf(name, replica);
    const urls = (s: Service) => instancesOf(s).map((i) => `http://127.0.0.1:${config.portOf(s, i.replica)}`).join(",");
    // The kernel sends SIGTERM to the service if this process dies, even by SIGKILL (util-linux's setpriv).
    const pdeath = existsSync("/usr/bin/setpriv") ? ["/usr/bin/setpriv", "--pdeathsig", "TERM"] : [];
    const proc = Bun.spawn([...pdeath, process.execPath, join(ROOT, "src", "entrypoints", `${name}.ts`)], {
      cwd: ROOT,
      stdin: "ignore",
      stdout: "pipe",
      stderr: "pipe",
      env: {
        ...process.env,
        PORT: String(port),
        // Only the gateway faces clients; the services are reached on loopback.
        HOST: name === "gateway" ? config.host : "127.0.0.1",
        DATA_DIR: join(config.dataRoot, instance),
        ...(config.brokers ? { KAFKA_BROKERS: config.brokers } : {}),
        ...splitWiring(name, urls, `http://127.0.0.1:${config.portOf("gateway")}`),
      },
    });
    procs.set(instance, proc);
    pipes.push(prefixLines(instance, proc.stdout as ReadableStream<Uint8Array>, process.stdout));
    pipes.push(prefixLines(instance, proc.stderr as ReadableStream<Uint8Array>, process.stderr));
    say("split", `${instance} started (pid ${proc.pid}) on ${name === "gateway" ? config.host : "127.0.0.1"}:${port}, data in ${join(config.dataRoot, instance)}`);
    void proc.exited.then((code) => {
      if (!stopping) died(`${instance} exited with ${proc.signalCode ?? `code ${code}`}`);
    });
    await waitUntilReady(instance, `http://127.0.0.1:${port}`, proc);
  };

  try {
    if (!config.brokers) {
      say("kafka", `starting Apache Kafka on 127.0.0.1:${config.kafkaPort} (needs Java 17+ and Maven; KAFKA_BROKERS to use another broker)`);
      broker = await startKafka({
        port: config.kafkaPort,
        controllerPort: config.kafkaPort + 1,
        dataDir: join(config.dataRoot, "kafka"),
        log: (message) => say("kafka", message),
      });
      config.brokers = broker.brokers;
      if (stopping) await broker.stop(); // asked to stop while the broker was starting
      void broker.exited.then((code) => {
        if (!stopping) died(`the Kafka broker exited with code ${code} (its log: ${join(config.dataRoot, "kafka", "broker.log")})`);
      });
    }
    for (const wave of WAVES) {
      if (stopping) break;
      // Replicas of one service one after another: the first applies the migrations, the others find them done.
      await Promise.all(wave.map(async (service) => {
        for (const instance of instancesOf(service)) await start(instance);
      }));
    }
  } catch (error) {
    // While stopping on request, a service that was still starting fails its wait: that is no failure.
    if (!stopping) failure = (error as Error).message;
    await stopAll(`could not start: ${failure}`);
    await Promise.race([Promise.all(pipes), Bun.sleep(1_000)]);
    return failure ? 1 : 0;
  }
  if (!stopping) {
    const where = config.host === "0.0.0.0" || config.host === "::" ? "localhost" : config.host;
    const signIn = operatorSignIn(loadConfig()); // the services started with this environment, so it is valid
    say(
      "split",
      `ready: open http://${where}:${config.gatewayPort}/${signIn ? ` (sign in as ${signIn})` : ""}; catalog/cart/order/payment on 127.0.0.1:${config.portOf("catalog")}-${config.portOf("payment")}${config.replicas > 1 ? ` (${config.replicas} replicas each, ports +${REPLICA_PORT_STRIDE} per replica)` : ""}, Kafka at ${config.brokers}. Ctrl-C stops them all.`,
    );
  }
  await stopped.promise;
  await Promise.race([Promise.all(pipes), Bun.sleep(1_000)]); // the children's last lines
  return failure ? 1 : 0;
}

process.exit(await main());
