import { SQL } from "bun";
import type { DatabaseChoice } from "../../config";
import { StartupError } from "../../process-guard";
import { connectionProblem } from "./connection-problem";
import { MigrationError, migratePostgres, quoteIdent, type MigrateResult } from "./migrate";

export type PostgresChoice = Extract<DatabaseChoice, { engine: "postgres" }>;

export interface PostgresDatabase {
  /**
   * Bun's pooled client, every connection's search_path set to the module's schema alone:
   * unqualified table names are the module's own. int8 columns (the outbox's seq) come back as
   * strings (Bun's default): Number() them, safe below 2^53. jsonb comes back parsed; pass objects.
   */
  sql: SQL;
  schema: string;
  migrations: MigrateResult;
  /** Readiness: whether a query answers within `timeoutMs`. */
  answers(timeoutMs?: number): Promise<boolean>;
  close(): Promise<void>;
}

export interface OpenPostgresOptions {
  /** The module's PostgreSQL migrations (postgresMigrationsFolder). */
  migrationsFolder: string;
  /** Pool size (Bun's default is 10). */
  max?: number;
  connectTimeoutSeconds?: number;
  /** Shown in pg_stat_activity: which process and module a connection belongs to. */
  applicationName?: string;
  log?: (message: string) => void;
}

/**
 * Opens a module's PostgreSQL pool, checks that the server answers, and brings the module's schema
 * to the newest migration (under an advisory lock: see migratePostgres), before the process listens.
 * Any failure is a StartupError naming the variable and the URL without its password.
 *
 * Plain Bun SQL, not drizzle's bun-sql driver: drizzle 0.45.4 through Bun SQL stores a jsonb value
 * as a JSON string (drizzle-orm#4942, #5287, fix PR #5364 unmerged), and its open issues report
 * lost timestamp milliseconds (#5062) and unawaited promises (#5451, #5465). The drizzle pg-core
 * schemas are the source of the migrations (drizzle-kit); queries are written for Bun SQL.
 */
export async function openPostgresDatabase(choice: PostgresChoice, opts: OpenPostgresOptions): Promise<PostgresDatabase> {
  const database = postgresPool(choice, opts);
  await database.prepare();
  return database;
}

/** A pool not yet checked or migrated (`prepare` does both): made synchronously, so a module factory can build its repositories on it. */
export interface PostgresPool extends Omit<PostgresDatabase, "migrations"> {
  /** Checks that the server answers and migrates the schema; a StartupError naming the variable otherwise. */
  prepare(): Promise<MigrateResult>;
}

/** The pool of openPostgresDatabase, before its first query (Bun SQL connects on first use). */
export function postgresPool(choice: PostgresChoice, opts: OpenPostgresOptions): PostgresPool & { migrations: MigrateResult } {
  const sql = new SQL({
    url: choice.url,
    max: opts.max ?? 10,
    connectionTimeout: opts.connectTimeoutSeconds ?? 10,
    idleTimeout: 60,
    connection: { search_path: quoteIdent(choice.schema), application_name: opts.applicationName ?? `bun-shop ${choice.schema}` },
  });
  let open = true;
  const database = {
    sql,
    schema: choice.schema,
    migrations: { applied: [], present: [], unknown: [] } as MigrateResult,
    async prepare(): Promise<MigrateResult> {
      try {
        await sql`SELECT 1`;
      } catch (error) {
        await sql.close({ timeout: 0 }).catch(() => {});
        throw new StartupError(connectionProblem(choice.variable, choice.url, error));
      }
      try {
        database.migrations = await migratePostgres(sql, { schema: choice.schema, folder: opts.migrationsFolder, log: opts.log });
      } catch (error) {
        await sql.close({ timeout: 0 }).catch(() => {});
        const reason = error instanceof MigrationError ? error.message : connectionProblem(choice.variable, choice.url, error);
        throw new StartupError(`${choice.variable}: cannot bring schema "${choice.schema}" to the newest migration: ${reason}`);
      }
      return database.migrations;
    },
    async answers(timeoutMs = 1000) {
      if (!open) return false;
      const query = sql`SELECT 1`;
      const timer = setTimeout(() => query.cancel(), timeoutMs);
      try {
        await query;
        return true;
      } catch {
        return false;
      } finally {
        clearTimeout(timer);
      }
    },
    async close() {
      if (!open) return;
      open = false;
      await sql.close({ timeout: 5 });
    },
  };
  return database;
}
