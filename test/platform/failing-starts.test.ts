// Starts that should fail, fail before listening, with a message naming the setting and the file;
// and readiness asks each database instead of reporting a flag. Real processes of both modes.
import { afterAll, describe, expect, test } from "bun:test";
import { chmodSync, closeSync, mkdirSync, openSync, readdirSync, truncateSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { freePort, runToExit, startEntrypoint, tempDir, type ServerProcess } from "../support/processes";

// Root writes through any permission: a read-only folder is read-only only to another user, so the
// shop runs as `nobody` here when the tests run as root (CI containers do).
const runsAsRoot = process.getuid?.() === 0;
const asUnprivileged = runsAsRoot ? ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] : [];

// The split services need to know where the others are, even when they fail before calling them.
const urls = { CATALOG_URL: "http://127.0.0.1:9", CART_URL: "http://127.0.0.1:9", ORDER_URL: "http://127.0.0.1:9", PAYMENT_URL: "http://127.0.0.1:9", IDENTITY_URL: "http://127.0.0.1:9" };
const LISTENING = /"msg":"listening"/;

const started: ServerProcess[] = [];
afterAll(async () => {
  await Promise.all(started.map((s) => s.stop()));
});
async function start(entry: string, env: Record<string, string> = {}, opts: { port?: number; dataDir?: string } = {}) {
  const server = await startEntrypoint(entry, { ...urls, ...env }, { readyTimeoutMs: 60_000, ...opts });
  started.push(server);
  return server;
}

/** A data folder the test user can traverse, made by a first real start of `entry` (then stopped). */
async function populatedDataDir(entry: string): Promise<string> {
  const parent = tempDir("shop-readonly-");
  chmodSync(parent, 0o755);
  const dataDir = join(parent, "data");
  // Live, not ready: the gateway is ready only when the services it fronts are, and none runs here.
  const server = await startEntrypoint(entry, { ...urls, SEED_CATALOG: "true" }, { dataDir, readyTimeoutMs: 60_000, readyPath: "/health/live" });
  expect(await server.stop()).toBe(0);
  return dataDir;
}

async function outputMatches(server: ServerProcess, pattern: RegExp, ms: number) {
  const deadline = Date.now() + ms;
  while (!pattern.test(server.output())) {
    if (Date.now() > deadline || server.proc.exitCode !== null) throw new Error(`no ${pattern} in the output within ${ms} ms:\n${server.output().slice(-2000)}`);
    await Bun.sleep(50);
  }
}

function expectFailedStart(result: { exitCode: number | null; output: string }, ...named: string[]) {
  if (result.exitCode === null || result.exitCode === 0) throw new Error(`expected the start to fail, got exit ${result.exitCode}:\n${result.output.slice(-3000)}`);
  for (const name of named) expect(result.output).toContain(name);
  expect(result.output).not.toMatch(LISTENING);
}

describe.each(["all.ts", "catalog.ts", "gateway.ts"])("%s", (entry) => {
  test("a DATA_DIR whose files are read-only stops the start before listening, naming DATA_DIR and the file", async () => {
    const dataDir = await populatedDataDir(entry);
    for (const file of readdirSync(dataDir)) chmodSync(join(dataDir, file), 0o444);
    chmodSync(dataDir, 0o555);
    const result = await runToExit(entry, { ...urls, PORT: String(freePort()), DATA_DIR: dataDir }, { wrap: asUnprivileged, timeoutMs: 30_000 });
    expectFailedStart(result, `DATA_DIR ${dataDir}`, `${dataDir}/`, ".sqlite");
    expect(result.output).toMatch(/not writable|cannot open/);
  }, 90_000);

  test("an empty DATA_DIR that cannot be written, and a DATA_DIR that is a file, stop the start naming DATA_DIR", async () => {
    const parent = tempDir("shop-readonly-");
    chmodSync(parent, 0o755);
    const locked = join(parent, "locked");
    mkdirSync(locked, { mode: 0o555 });
    const env = { ...urls, PORT: String(freePort()) };
    expectFailedStart(await runToExit(entry, { ...env, DATA_DIR: locked }, { wrap: asUnprivileged, timeoutMs: 30_000 }), `DATA_DIR ${locked}`, `${locked}/`);
    const file = join(parent, "a-file");
    writeFileSync(file, "not a folder");
    expectFailedStart(await runToExit(entry, { ...env, DATA_DIR: file }, { timeoutMs: 30_000 }), `DATA_DIR ${file} is a file, not a folder`);
  }, 90_000);
});

describe.each(["all.ts", "catalog.ts"])("%s", (entry) => {
  test("a port another instance listens on stops the second start, naming PORT; REUSE_PORT=true shares it", async () => {
    const first = await start(entry, { SEED_CATALOG: "false" });
    const second = await runToExit(entry, { ...urls, PORT: String(first.port), DATA_DIR: tempDir() }, { timeoutMs: 30_000 });
    expectFailedStart(second, `PORT ${first.port} is already in use on 127.0.0.1`, "REUSE_PORT");
    expect((await fetch(`${first.url}/health/live`)).status).toBe(200);

    const port = freePort();
    const shared = { SEED_CATALOG: "false", REUSE_PORT: "true", LOG_LEVEL: "info" };
    const a = await start(entry, shared, { port });
    // Its readiness check may be answered by the first: its own "listening" line says it got the port.
    const b = await start(entry, shared, { port });
    for (const server of [a, b]) {
      await outputMatches(server, LISTENING, 20_000);
      expect(server.proc.exitCode).toBeNull();
    }
  }, 120_000);

  test("a taken METRICS_PORT stops the start, naming METRICS_PORT", async () => {
    const holder = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response("taken") });
    try {
      const result = await runToExit(entry, { ...urls, PORT: String(freePort()), METRICS_PORT: String(holder.port), DATA_DIR: tempDir() }, { timeoutMs: 30_000 });
      expect(result.exitCode).not.toBe(0);
      expect(result.exitCode).not.toBeNull();
      expect(result.output).toContain(`METRICS_PORT ${holder.port} is already in use`);
    } finally {
      holder.stop(true);
    }
  }, 60_000);

  test("readiness asks the database: one that stops answering is 503 naming it, fast, and the process lives on", async () => {
    const server = await start(entry, { SEED_CATALOG: "true" });
    const before = await fetch(`${server.url}/health/ready`);
    expect(before.status).toBe(200);
    expect((await before.json()).modules.catalog).toBe("ready");
    // The catalog's file stops being a database: its header is overwritten, the WAL emptied, and
    // the shared-memory index scrambled, so the next reader goes back to the file.
    const file = join(server.dataDir, "catalog.sqlite");
    const junk = (path: string, bytes: number) => {
      const fd = openSync(path, "r+");
      writeSync(fd, Buffer.alloc(bytes, 0x5a), 0, bytes, 0);
      closeSync(fd);
    };
    junk(file, 100);
    truncateSync(`${file}-wal`, 0);
    junk(`${file}-shm`, 136);
    const started = performance.now();
    const after = await fetch(`${server.url}/health/ready`, { signal: AbortSignal.timeout(5_000) });
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(after.status).toBe(503);
    const body = await after.json();
    expect(body.status).toBe("not ready");
    expect(body.modules.catalog).toBe("not ready");
    expect((await fetch(`${server.url}/health/live`)).status).toBe(200);
    expect(server.proc.exitCode).toBeNull();
  }, 90_000);
});
