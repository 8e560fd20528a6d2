import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { SQL } from "bun";
import { migrationsFolder } from "../migrations-folder";

/**
 * A module's PostgreSQL migrations: drizzle-kit's output in `migrations/postgres/` beside its
 * SQLite ones (the journal orders them; "--> statement-breakpoint" separates statements). In a
 * bundled image they sit under MIGRATIONS_ROOT/<database>/postgres, copied with the SQLite ones.
 */
export function postgresMigrationsFolder(name: string, besideSource: string): string {
  return join(migrationsFolder(name, besideSource), "postgres");
}

export interface MigrationFile {
  tag: string;
  /** sha256 of the file: a migration edited after it was applied is refused, not silently skipped. */
  hash: string;
  statements: string[];
}

export function readMigrations(folder: string): MigrationFile[] {
  const journal = JSON.parse(readFileSync(join(folder, "meta", "_journal.json"), "utf8")) as { entries: Array<{ idx: number; tag: string }> };
  return [...journal.entries]
    .sort((a, b) => a.idx - b.idx)
    .map(({ tag }) => {
      const text = readFileSync(join(folder, `${tag}.sql`), "utf8");
      return {
        tag,
        hash: new Bun.CryptoHasher("sha256").update(text).digest("hex"),
        statements: text.split("--> statement-breakpoint").map((s) => s.trim()).filter(Boolean),
      };
    });
}

export class MigrationError extends Error {
  override name = "MigrationError";
}

export interface MigrateOptions {
  /** The module's schema: its tables, and its record of applied migrations, live there. */
  schema: string;
  folder: string;
  /** How long to wait for another process that is migrating the same schema. */
  lockTimeoutMs?: number;
  log?: (message: string) => void;
}

export interface MigrateResult {
  /** Tags this call applied, in order (empty when another process had done it). */
  applied: string[];
  /** Tags the database had already. */
  present: string[];
  /** Tags the database has that this build does not know (a newer build migrated it). */
  unknown: string[];
}

/** Advisory lock keys: one class for the shop's migrations, one key per schema. */
const LOCK_CLASS = 0x5b0b_0001;
const lockKey = (schema: string) => Bun.hash.crc32(schema) | 0;
export const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * Brings the schema to the newest migration. Several processes may start at once (replicas, a
 * rolling deploy): each takes the schema's session-level advisory lock on a reserved connection
 * first, so one applies the migrations while the others wait, then find nothing left to do.
 * A process that dies while holding the lock loses its connection, and with it the lock and the
 * open transaction of the migration it was applying. Each migration runs in one transaction with
 * its record in `<schema>.schema_migrations`.
 */
export async function migratePostgres(sql: SQL, opts: MigrateOptions): Promise<MigrateResult> {
  const migrations = readMigrations(opts.folder);
  const schema = quoteIdent(opts.schema);
  const key = lockKey(opts.schema);
  const reserved = await sql.reserve();
  try {
    await acquireLock(reserved, key, opts);
    try {
      // Created under the lock: two CREATE SCHEMA IF NOT EXISTS at once can still collide.
      const [exists] = await reserved`SELECT 1 AS found FROM pg_namespace WHERE nspname = ${opts.schema}`;
      if (!exists) await reserved.unsafe(`CREATE SCHEMA ${schema}`);
      await reserved.unsafe(
        `CREATE TABLE IF NOT EXISTS ${schema}.schema_migrations (tag text PRIMARY KEY, sha256 text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
      );
      const rows: Array<{ tag: string; sha256: string }> = await reserved.unsafe(`SELECT tag, sha256 FROM ${schema}.schema_migrations`);
      const recorded = new Map(rows.map((r) => [r.tag, r.sha256]));
      const known = new Set(migrations.map((m) => m.tag));
      for (const m of migrations) {
        const hash = recorded.get(m.tag);
        if (hash !== undefined && hash !== m.hash) {
          throw new MigrationError(`${opts.schema}: migration ${m.tag} was changed after it was applied (its sha256 differs from the one recorded); add a new migration instead`);
        }
      }
      const unknown = [...recorded.keys()].filter((tag) => !known.has(tag));
      if (unknown.length) opts.log?.(`${opts.schema}: the database has migrations this build does not know (${unknown.join(", ")}): a newer build migrated it`);
      const applied: string[] = [];
      for (const m of migrations) {
        if (recorded.has(m.tag)) continue;
        await applyOne(reserved, opts.schema, m);
        applied.push(m.tag);
        opts.log?.(`${opts.schema}: applied migration ${m.tag}`);
      }
      return { applied, present: migrations.filter((m) => recorded.has(m.tag)).map((m) => m.tag), unknown };
    } finally {
      await reserved`SELECT pg_advisory_unlock(${LOCK_CLASS}, ${key})`.catch(() => {}); // a lost connection released it already
    }
  } finally {
    await reserved.release();
  }
}

async function acquireLock(reserved: SQL, key: number, opts: MigrateOptions): Promise<void> {
  const timeoutMs = opts.lockTimeoutMs ?? 120_000;
  const deadline = Date.now() + timeoutMs;
  let said = false;
  for (;;) {
    const [row] = await reserved`SELECT pg_try_advisory_lock(${LOCK_CLASS}, ${key}) AS locked`;
    if (row.locked) return;
    if (!said) opts.log?.(`${opts.schema}: waiting for another process that is migrating it`);
    said = true;
    if (Date.now() > deadline) {
      throw new MigrationError(`${opts.schema}: another process has held the migration lock for over ${Math.round(timeoutMs / 1000)} s (pg_locks shows it: locktype 'advisory', classid ${LOCK_CLASS}, objid ${key >>> 0})`);
    }
    await Bun.sleep(100);
  }
}

async function applyOne(reserved: SQL, schema: string, m: MigrationFile): Promise<void> {
  let current = "";
  try {
    await reserved.begin(async (tx) => {
      // Unqualified names in the migration land in the module's schema, and only there.
      await tx.unsafe(`SET LOCAL search_path TO ${quoteIdent(schema)}`);
      for (const statement of m.statements) {
        current = statement;
        await tx.unsafe(statement).simple();
      }
      current = "";
      await tx.unsafe(`INSERT INTO ${quoteIdent(schema)}.schema_migrations (tag, sha256) VALUES ($1, $2)`, [m.tag, m.hash]);
    });
  } catch (error) {
    const at = current ? ` at: ${current.replace(/\s+/g, " ").slice(0, 160)}` : "";
    throw new MigrationError(`${schema}: migration ${m.tag} failed and was rolled back (${(error as Error).message})${at}`);
  }
}
