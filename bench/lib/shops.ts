// Starts the shop under test on loopback with fresh data folders, in either mode, reusing the
// test suite's process helpers so the bench runs the shop exactly as the tests do.
// Request logs are info-level JSON lines: LOG_LEVEL=warn keeps them off, as a production
// deployment shipping logs elsewhere would not pay for them on this same machine.
import { readFileSync, rmSync } from "node:fs";
import { startKafkaOnFreePorts, type KafkaBroker } from "../../scripts/kafka/broker";
import type { Subprocess } from "bun";
import { join } from "node:path";
import { freePort, repoRoot, startEntrypoint, tempDir, waitForOk, type ServerProcess } from "../../test/support/processes";
import { SplitShop } from "../../test/support/split-shop";

export type Mode = "all" | "split";
export type Engine = "sqlite" | "postgres";

export interface RunningShop {
  mode: Mode;
  engine: Engine;
  url: string;
  /** Server processes whose RSS counts (not the Kafka broker, reported apart). */
  serverPids: number[];
  /** The same processes by name (all-in-one, or each split service). */
  pidsByName: Record<string, number>;
  brokerPid?: number;
  stop(): Promise<void>;
}

// The bench registers all its customers from one address: past the per-address registration limit.
const SHOP_ENV = { NODE_ENV: "test", LOG_LEVEL: "warn", SEED_CATALOG: "true", THROTTLE_REGISTRATION_PER_ADDRESS: "100000/3600" };

/**
 * `databaseUrl`: PostgreSQL for every module (DATABASE_URL: each module in its own schema of that
 * database; in split mode each service reaches only its own); without it, SQLite files.
 */
export async function startShop(mode: Mode, databaseUrl?: string, opts: { replicas?: number } = {}): Promise<RunningShop> {
  const env = databaseUrl ? { ...SHOP_ENV, DATABASE_URL: databaseUrl } : SHOP_ENV;
  const shop = mode === "all" ? await startAllInOne(env) : await startSplit(env, opts.replicas ?? 1);
  return { ...shop, engine: databaseUrl ? "postgres" : "sqlite" };
}

async function startAllInOne(env: Record<string, string>): Promise<Omit<RunningShop, "engine">> {
  const shop: ServerProcess = await startEntrypoint("all.ts", env, { dataDir: tempDir("bench-all-"), readyTimeoutMs: 60_000 });
  return {
    mode: "all",
    url: shop.url,
    serverPids: [shop.proc.pid],
    pidsByName: { "all-in-one": shop.proc.pid },
    async stop() {
      await shop.stop();
      removeDirs([shop.dataDir]);
    },
  };
}

/** `replicas` > 1: that many processes per module service (PostgreSQL only), one gateway. */
async function startSplit(env: Record<string, string>, replicas: number): Promise<Omit<RunningShop, "engine">> {
  let kafka: KafkaBroker | undefined;
  let split: SplitShop | undefined;
  try {
    kafka = await startKafkaOnFreePorts({ dataDir: tempDir("bench-kafka-") });
    split = await new SplitShop({ ...env, KAFKA_BROKERS: kafka.brokers }, undefined, { replicas }).start();
  } catch (error) {
    await split?.stop();
    await kafka?.stop();
    throw error;
  }
  const s = split;
  const k = kafka;
  return {
    mode: "split",
    url: s.url,
    serverPids: [...s.procs.values()].map((p) => p.proc.pid),
    pidsByName: Object.fromEntries([...s.procs].map(([name, p]) => [name, p.proc.pid])),
    brokerPid: brokerPid(k),
    async stop() {
      await s.stop();
      await k.stop();
      removeDirs([...Object.values(s.dataDirs), k.dataDir]);
    },
  };
}

/** Bench data folders are thrown away after each mode: nothing in them is looked at later. */
const removeDirs = (dirs: string[]) => dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));

/** The JVM's pid, from the broker's pid file (startKafka does not expose the process). */
function brokerPid(kafka: KafkaBroker): number | undefined {
  try {
    return Number(readFileSync(`${kafka.dataDir}/broker.pid`, "utf8")) || undefined;
  } catch {
    return undefined;
  }
}

export interface InstrumentedShop {
  url: string;
  proc: Subprocess;
  /** SIGTERM, wait for the exit (profiles and preload reports are written then), drop the data. */
  stop(): Promise<void>;
}

/**
 * The all-in-one shop run as `bun <bunArgs> all.ts` (a profiler flag, a --preload that counts or
 * times statements), on a fresh data folder and a free loopback port; for the bench/micro tools.
 */
export async function startInstrumentedShop(bunArgs: string[], env: Record<string, string> = {}): Promise<InstrumentedShop> {
  const port = freePort();
  const dataDir = tempDir("bench-instrumented-");
  const proc = Bun.spawn(["bun", ...bunArgs, join(repoRoot, "src", "entrypoints", "all.ts")], {
    cwd: repoRoot,
    env: { ...process.env, ...SHOP_ENV, HOST: "127.0.0.1", PORT: String(port), DATA_DIR: dataDir, ...env },
    stdout: "inherit",
    stderr: "inherit",
  });
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    proc.kill("SIGTERM");
    await proc.exited;
    removeDirs([dataDir]);
  };
  try {
    await waitForOk(`${url}/health/ready`, 60_000, proc);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, proc, stop };
}
