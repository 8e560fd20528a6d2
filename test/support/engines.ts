// The storage engines the shop runs on, as a test parameter: the same test file runs once per
// engine (`for (const engine of engines())` around a describe), each run with databases of its
// own: SQLite files in the process's DATA_DIR, or fresh PostgreSQL databases on the test server
// (test/support/postgres.ts), one per module, handed to the process as <MODULE>_DATABASE_URL.
import { freshModuleDatabases, POSTGRES_START_TIMEOUT_MS } from "./postgres";

export type EngineName = "sqlite" | "postgres";

export interface Engine {
  name: EngineName;
  /**
   * The environment a shop process needs for this engine, fresh each call (`label`: the test's
   * name, in the database names). SQLite: nothing (DATA_DIR). Give the calling hook
   * `setupTimeoutMs`: the first call starts the PostgreSQL server.
   */
  env(label: string): Promise<Record<string, string>>;
  setupTimeoutMs: number;
}

const ENGINES: Record<EngineName, Engine> = {
  sqlite: { name: "sqlite", env: async () => ({}), setupTimeoutMs: 5_000 },
  postgres: { name: "postgres", env: (label) => freshModuleDatabases(label), setupTimeoutMs: POSTGRES_START_TIMEOUT_MS },
};

/**
 * The engines to run a test on: both by default; TEST_ENGINES=sqlite (or postgres) narrows a run
 * to one while working on it.
 */
export function engines(): Engine[] {
  const only = process.env.TEST_ENGINES?.split(",").map((s) => s.trim()).filter(Boolean);
  const names = (only?.length ? only : ["sqlite", "postgres"]) as EngineName[];
  for (const n of names) if (!(n in ENGINES)) throw new Error(`TEST_ENGINES: unknown engine "${n}" (sqlite, postgres)`);
  return names.map((n) => ENGINES[n]);
}
