// One real PostgreSQL server per test process (scripts/postgres/server.ts), started by the first
// test file that asks and stopped after the last file (test/support/postgres-teardown.ts, preloaded
// by bunfig.toml: bun test runs no "exit" handlers), or by the kernel when the process dies (its
// parent-death signal); each test file gets fresh databases of its own on it. The server's folder is .cache/postgres/test-runs/<pid>-<random>/: a run that was
// killed before it could stop its server leaves one behind, and the next run stops that server
// and deletes the folder (never one whose test process still runs: two runs may share a checkout).
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { SQL } from "bun";
import { isPostmasterOf, POSTGRES_CACHE, readOwner, startPostgres, stopPid, type PostgresServer } from "../../scripts/postgres/server";
import { isRunning, isSameProcess, stampOf } from "../../scripts/postgres/process-identity";
import { DATABASE_MODULES } from "../../src/platform/config";

export const TEST_RUNS = join(POSTGRES_CACHE, "test-runs");
/** Starting a server includes initdb (~1 s here); a loaded 2-core machine can take far longer. */
export const POSTGRES_START_TIMEOUT_MS = 120_000;

// On globalThis, so that the test files one process runs share the server even when each file
// gets a fresh module registry (bun test --isolate).
const KEY = Symbol.for("bun-shop.test-postgres");
const shared = ((globalThis as Record<symbol, unknown>)[KEY] ??= {}) as { server?: Promise<PostgresServer>; root?: string };

/** The test process's server, started on first use (give the calling hook POSTGRES_START_TIMEOUT_MS). */
export function testPostgres(): Promise<PostgresServer> {
  shared.server ??= start();
  return shared.server;
}

async function start(): Promise<PostgresServer> {
  mkdirSync(TEST_RUNS, { recursive: true });
  await sweepStaleRuns();
  const root = join(TEST_RUNS, `${process.pid}-${Math.random().toString(36).slice(2, 8)}`);
  mkdirSync(root);
  writeFileSync(join(root, "owner.json"), JSON.stringify(stampOf(process.pid))); // before initdb: a concurrent sweep must see it is taken
  shared.root = root;
  return startPostgres({ root, ephemeral: true, startTimeoutMs: POSTGRES_START_TIMEOUT_MS });
}

/** Stops this process's server, if one was started, and deletes its folder. */
export async function stopTestPostgres(): Promise<void> {
  const { server, root } = shared;
  shared.server = shared.root = undefined;
  if (!root) return;
  await (await server?.catch(() => undefined))?.stop();
  rmSync(root, { recursive: true, force: true });
}

/** Stops the servers of runs whose test process is gone and deletes their folders; returns them. */
export async function sweepStaleRuns(runs = TEST_RUNS): Promise<string[]> {
  const swept: string[] = [];
  for (const name of readdirSync(runs)) {
    const root = join(runs, name);
    const owner = readOwner(root);
    if (owner ? isSameProcess(owner) : isRunning(Number(name.split("-")[0]))) continue;
    const dataDir = join(root, "data");
    let pid = 0;
    try {
      pid = Number(readFileSync(join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
    } catch {
      // no server ever ran there, or it shut down cleanly
    }
    if (pid && isPostmasterOf(pid, dataDir)) await stopPid(pid);
    rmSync(root, { recursive: true, force: true });
    swept.push(root);
  }
  return swept;
}

let created = 0;

/** A new, empty database on the test server, named after `label` (a test file's name); its URL. */
export async function freshDatabase(label: string): Promise<string> {
  const server = await testPostgres();
  const name = `${label.toLowerCase().replace(/[^a-z0-9]+/g, "_").slice(0, 40)}_${++created}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new SQL({ url: server.url("postgres"), max: 1, connectionTimeout: 30 });
  try {
    await admin.unsafe(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.close();
  }
  return server.url(name);
}

/** A fresh database per module, as the environment a process reads (`<MODULE>_DATABASE_URL`). */
export async function freshModuleDatabases(label: string): Promise<Record<string, string>> {
  const env: Record<string, string> = {};
  for (const m of DATABASE_MODULES) env[`${m.toUpperCase()}_DATABASE_URL`] = await freshDatabase(`${label}_${m}`);
  return env;
}
