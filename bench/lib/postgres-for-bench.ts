// The PostgreSQL server of a bench run: Debian's server started on a free loopback port in its own
// folder (scripts/postgres, as the tests do), a fresh database per shop, stopped at the end. The
// server keeps fsync on, and synchronous_commit on unless --postgres-sync off asks to measure its cost.
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { SQL } from "bun";
import { POSTGRES_CACHE, startPostgres, type PostgresServer } from "../../scripts/postgres/server";

export interface BenchPostgres {
  server: PostgresServer;
  /** A new empty database; its URL. */
  database(name: string): Promise<string>;
  stop(): Promise<void>;
}

export async function startBenchPostgres(synchronousCommit: "on" | "off" = "on"): Promise<BenchPostgres> {
  const root = join(POSTGRES_CACHE, `bench-run-${process.pid}`);
  mkdirSync(POSTGRES_CACHE, { recursive: true });
  rmSync(root, { recursive: true, force: true });
  // Room for every module's pool in split mode (5 processes × up to 10 connections each) and the ceiling's.
  const server = await startPostgres({ root, ephemeral: true, settings: { max_connections: 200, synchronous_commit: synchronousCommit }, startTimeoutMs: 120_000 });
  return {
    server,
    async database(name) {
      const admin = new SQL({ url: server.url("postgres"), max: 1 });
      try {
        await admin.unsafe(`CREATE DATABASE "${name}"`);
      } finally {
        await admin.close();
      }
      return server.url(name);
    },
    async stop() {
      await server.stop();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
