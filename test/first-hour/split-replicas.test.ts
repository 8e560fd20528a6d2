import { afterEach, expect, test } from "bun:test";
import { join } from "node:path";
import { freshDatabase, POSTGRES_START_TIMEOUT_MS } from "../support/postgres";
import { freePortRun, repoRoot, runToExit, tempDir } from "../support/processes";
import { WatchedProcess } from "../support/watched-process";

// `REPLICAS=N npm run split`: N processes of each service need PostgreSQL, since on SQLite each
// replica would keep a database of its own. Refused before anything starts, saying why.
const split = join(repoRoot, "scripts", "split.ts");
const noDatabases = { DATABASE_URL: "", CATALOG_DATABASE_URL: "", CART_DATABASE_URL: "", ORDER_DATABASE_URL: "", PAYMENT_DATABASE_URL: "" };

test("REPLICAS=2 on SQLite is refused naming PostgreSQL, and nothing is started", async () => {
  const dataDir = tempDir("shop-split-replicas-");
  const result = await runToExit(split, { ...noDatabases, REPLICAS: "2", DATA_DIR: dataDir, KAFKA_BROKERS: "127.0.0.1:1" }, { timeoutMs: 30_000 });
  expect(result.exitCode).toBe(78);
  expect(result.output).toContain("REPLICAS=2 needs PostgreSQL: catalog, cart, order, payment would keep their data in SQLite files");
  expect(result.output).toContain("DATABASE_URL");
  expect(result.output).not.toContain("started (pid");
}, 40_000);

test("REPLICAS=2 with one module still on SQLite names that module", async () => {
  const pg = "postgres://shop:pw@127.0.0.1:1/shop";
  const env = { ...noDatabases, CATALOG_DATABASE_URL: pg, CART_DATABASE_URL: pg, ORDER_DATABASE_URL: pg, REPLICAS: "2", DATA_DIR: tempDir("shop-split-replicas-"), KAFKA_BROKERS: "127.0.0.1:1" };
  const result = await runToExit(split, env, { timeoutMs: 30_000 });
  expect(result.exitCode).toBe(78);
  expect(result.output).toContain("REPLICAS=2 needs PostgreSQL: payment would keep its data");
}, 40_000);

test("REPLICAS must be a small whole number", async () => {
  for (const bad of ["0", "two", "1.5", "10"]) {
    const result = await runToExit(split, { ...noDatabases, REPLICAS: bad, DATA_DIR: tempDir("shop-split-replicas-"), KAFKA_BROKERS: "127.0.0.1:1" }, { timeoutMs: 30_000 });
    expect(result.exitCode).toBe(78);
    expect(result.output).toContain(`REPLICAS must be a whole number from 1 to 9, got "${bad}"`);
  }
}, 60_000);

let launcher: WatchedProcess | undefined;
afterEach(() => {
  launcher?.kill("SIGKILL");
  launcher = undefined;
});

test("REPLICAS=2 on PostgreSQL: two processes of each service on the documented ports, the gateway listing both", async () => {
  const databaseUrl = await freshDatabase("split_replicas");
  const port = freePortRun(15);
  const kafkaPort = freePortRun(2);
  const dataDir = tempDir("shop-split-replicas-");
  launcher = WatchedProcess.spawn(["bun", split], {
    cwd: repoRoot,
    env: { ...process.env, ...noDatabases, DATABASE_URL: databaseUrl, REPLICAS: "2", PORT: String(port), KAFKA_PORT: String(kafkaPort), DATA_DIR: dataDir, HOST: "127.0.0.1", LOG_LEVEL: "info", NODE_ENV: "development" },
  });
  await launcher.waitFor(/split +\| ready: /, 200_000);
  expect(launcher.output()).toContain("(2 replicas each, ports +10 per replica)");
  const ready = (await (await fetch(`http://127.0.0.1:${port}/health/ready`)).json()) as { status: string; upstreams: Record<string, { replicas?: Record<string, { status: string }> }> };
  expect(ready.status).toBe("ready");
  const offsets = { catalog: 1, cart: 2, order: 3, payment: 4 } as const;
  for (const [service, offset] of Object.entries(offsets)) {
    const replicas = { [`http://127.0.0.1:${port + offset}`]: "ready", [`http://127.0.0.1:${port + offset + 10}`]: "ready" };
    expect(Object.fromEntries(Object.entries(ready.upstreams[service]!.replicas!).map(([url, r]) => [url, r.status]))).toEqual(replicas);
    expect(launcher.output()).toContain(`${service}-2 started (pid`);
    expect(launcher.output()).toContain(`data in ${join(dataDir, `${service}-2`)}`);
  }
  launcher.kill("SIGTERM");
  expect(await launcher.exitWithin(60_000)).toBe(0);
}, POSTGRES_START_TIMEOUT_MS + 240_000);
