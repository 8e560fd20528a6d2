import { Database } from "bun:sqlite";
import { existsSync, mkdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { drizzle, type BunSQLiteDatabase } from "drizzle-orm/bun-sqlite";
import { migrate } from "drizzle-orm/bun-sqlite/migrator";
import { StartupError } from "../process-guard";
import { checkpointInBackground, stopCheckpointing } from "./checkpointer";
import { commitNow, syncCommitsOffThread } from "./group-commit";
import { WalSync } from "./wal-sync";

export interface ModuleDatabase<TSchema extends Record<string, unknown>> {
  /** The raw connection, for the few hot paths that use hand-prepared statements. */
  sqlite: Database;
  db: BunSQLiteDatabase<TSchema>;
  path: string;
  /** Whether the database answers a query that reads the file (readiness); false once closed or failing. */
  answers(): boolean;
  close(): void;
}

/**
 * Opens one module's own SQLite file, brings it to the newest migration and checks that it can
 * be written, before the process listens: a folder or file it cannot write fails the start with a
 * StartupError naming DATA_DIR and the file (SQLite would otherwise open it read-only, and the first
 * write, after "listening", would end the process).
 */
export function openModuleDatabase<TSchema extends Record<string, unknown>>(
  dataDir: string,
  name: string,
  schema: TSchema,
  migrationsFolder: string,
): ModuleDatabase<TSchema> {
  const path = join(dataDir, `${name}.sqlite`);
  try {
    return openWritable(dataDir, path, schema, migrationsFolder);
  } catch (error) {
    if (error instanceof StartupError) throw error;
    throw new StartupError(`DATA_DIR ${dataDir}: cannot open ${path} for writing: ${(error as Error).message}`);
  }
}

/** How long a statement waits out another connection's lock. */
const BUSY_TIMEOUT_MS = 5000;
/** How long the readiness probe may wait for a lock: a probe must answer fast, whatever the database does. */
const PROBE_BUSY_TIMEOUT_MS = 200;

/** A statement that writes nothing that lasts, yet fails on a database SQLite could open only read-only. */
function assertWritable(sqlite: Database, dataDir: string, path: string): void {
  try {
    sqlite.run("BEGIN IMMEDIATE");
    sqlite.run("CREATE TABLE _write_probe (x)");
  } catch (error) {
    throw new StartupError(`DATA_DIR ${dataDir}: ${path} is not writable (${(error as Error).message}); the process needs to write its data folder`);
  } finally {
    if (sqlite.inTransaction) sqlite.run("ROLLBACK");
  }
}

/**
 * WAL lets readers run beside the single writer. Every commit's WAL frames are on disk before
 * anyone hears of it, so what was answered survives an OS crash or a power cut too (SQLite's
 * NORMAL syncs only at checkpoints: the last answered commits could roll back). The connection is
 * at FULL, so any write syncs inside its COMMIT; a group commit's batch may instead commit at
 * NORMAL and have its WAL synced on Bun's thread pool while the event loop goes on (CommitSync in
 * group-commit.ts, wal-sync.ts). The busy timeout waits out a concurrent writer.
 */
function openWritable<TSchema extends Record<string, unknown>>(dataDir: string, path: string, schema: TSchema, migrationsFolder: string): ModuleDatabase<TSchema> {
  if (existsSync(dataDir) && !statSync(dataDir).isDirectory()) throw new StartupError(`DATA_DIR ${dataDir} is a file, not a folder`);
  mkdirSync(dataDir, { recursive: true });
  const sqlite = new Database(path, { create: true, strict: true });
  // New files only: 1 KiB pages keep the WAL frames each commit writes small. The shop's rows are
  // small and commits frequent; measured +10% checkouts/s over the 4 KiB default here.
  sqlite.run("PRAGMA page_size = 1024");
  sqlite.run("PRAGMA journal_mode = WAL");
  sqlite.run("PRAGMA synchronous = FULL"); // a batch synced on the thread pool: NORMAL meanwhile (syncCommitsOffThread below)
  sqlite.run(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
  sqlite.run("PRAGMA foreign_keys = ON");
  try {
    assertWritable(sqlite, dataDir, path);
  } catch (error) {
    sqlite.close();
    throw error;
  }
  const db = drizzle({ client: sqlite, schema });
  migrate(db, { migrationsFolder });
  // Checkpoints run in a background worker; this connection only steps in at 50,000 WAL frames
  // (~52 MB, the most the WAL file grows to), copying what the worker has not yet (up to ~100 ms
  // of writes) and restarting the WAL. Measured on the checkout: at 20,000 frames those restarts
  // came ~3.5 times a second across the four files and cost ~3% of throughput; at 50,000, ~1%.
  if (checkpointInBackground(path)) sqlite.run("PRAGMA wal_autocheckpoint = 50000");
  const walSync = new WalSync(`${path}-wal`);
  syncCommitsOffThread(sqlite, walSync);
  let open = true;
  // Reads page 1 of the file (unlike SELECT 1). A WAL reader does not wait for the writer; the
  // short busy timeout bounds the rare waits it does have (another connection's recovery).
  const probe = sqlite.query("PRAGMA schema_version");
  return {
    sqlite,
    db,
    path,
    answers() {
      if (!open) return false;
      try {
        sqlite.run(`PRAGMA busy_timeout = ${PROBE_BUSY_TIMEOUT_MS}`);
        probe.get();
        return true;
      } catch {
        return false;
      } finally {
        if (open) sqlite.run(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
      }
    },
    close() {
      if (!open) return;
      open = false;
      stopCheckpointing(path);
      commitNow(sqlite);
      sqlite.close();
      walSync.close();
    },
  };
}
