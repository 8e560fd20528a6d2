// Opening a module's PostgreSQL at start: a server that is not there, does not answer, refuses the
// password or lacks the database is a StartupError naming the variable and the URL without its
// password; a reachable one is migrated, its pool confined to the module's schema.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { PostgresServer } from "../../scripts/postgres/server";
import { StartupError } from "../../src/platform/process-guard";
import { openPostgresDatabase, type PostgresChoice } from "../../src/platform/db/postgres/open-postgres";
import { freshDatabase, POSTGRES_START_TIMEOUT_MS, testPostgres } from "../support/postgres";
import { freePort, tempDir } from "../support/processes";
import { MODULE_DATABASES } from "./module-databases";

const catalogMigrations = MODULE_DATABASES.find((d) => d.module === "catalog")!.postgresFolder;
const choice = (url: string, variable = "CATALOG_DATABASE_URL"): PostgresChoice => ({ engine: "postgres", url, variable, schema: "catalog" });

async function startupFailure(url: string, opts: { connectTimeoutSeconds?: number; migrationsFolder?: string } = {}): Promise<string> {
  try {
    const db = await openPostgresDatabase(choice(url), { migrationsFolder: catalogMigrations, ...opts });
    await db.close();
  } catch (error) {
    expect(error).toBeInstanceOf(StartupError);
    return (error as Error).message;
  }
  throw new Error("it opened");
}

let server: PostgresServer;
let url: string;
beforeAll(async () => {
  server = await testPostgres();
  url = await freshDatabase("open-postgres");
}, POSTGRES_START_TIMEOUT_MS);

describe("a start that cannot use its PostgreSQL says why, naming the variable", () => {
  test("nothing listening", async () => {
    const port = freePort();
    const message = await startupFailure(`postgres://shop:s3cret@127.0.0.1:${port}/shop`);
    expect(message).toBe(`CATALOG_DATABASE_URL (postgres://shop:***@127.0.0.1:${port}/shop): nothing accepts connections at 127.0.0.1:${port} (connection refused): is PostgreSQL running there?`);
  });

  const silent = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } }); // accepts, never answers
  afterAll(() => silent.stop(true));
  test("something listening that never answers, within the connect timeout", async () => {
    const started = Date.now();
    const message = await startupFailure(`postgres://shop:s3cret@127.0.0.1:${silent.port}/shop`, { connectTimeoutSeconds: 1 });
    expect(message).toStartWith(`CATALOG_DATABASE_URL (postgres://shop:***@127.0.0.1:${silent.port}/shop): no PostgreSQL answered at 127.0.0.1:${silent.port}`);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  test("a wrong password", async () => {
    const message = await startupFailure(`postgres://shop:wrong-s3cret@127.0.0.1:${server.port}/postgres`);
    expect(message).toBe(`CATALOG_DATABASE_URL (postgres://shop:***@127.0.0.1:${server.port}/postgres): PostgreSQL at 127.0.0.1:${server.port} refused the password of user "shop"`);
  });

  test("a database that does not exist", async () => {
    const message = await startupFailure(server.url("no_such_db"));
    expect(message).toContain(`database "no_such_db" does not exist on 127.0.0.1:${server.port}: create it (CREATE DATABASE no_such_db) or fix the URL`);
    expect(message).not.toContain(server.password);
  });

  test("a migration that fails", async () => {
    const folder = tempDir("pg-broken-");
    mkdirSync(join(folder, "meta"));
    writeFileSync(join(folder, "meta", "_journal.json"), JSON.stringify({ entries: [{ idx: 0, tag: "0000_broken" }] }));
    writeFileSync(join(folder, "0000_broken.sql"), "CREATE TABLE nope (x no_such_type);");
    const message = await startupFailure(url, { migrationsFolder: folder });
    expect(message).toMatch(/^CATALOG_DATABASE_URL: cannot bring schema "catalog" to the newest migration: catalog: migration 0000_broken failed and was rolled back \(.*no_such_type.*\)/);
  });
});

test("a reachable database: migrated, every connection confined to the module's schema, readiness answered", async () => {
  const db = await openPostgresDatabase(choice(url, "DATABASE_URL"), { migrationsFolder: catalogMigrations, max: 3, applicationName: "open-postgres test" });
  try {
    expect(db.migrations.applied.length + db.migrations.present.length).toBeGreaterThan(0);
    const rows = await Promise.all([1, 2, 3].map(() => db.sql`SELECT current_setting('search_path') AS path, current_setting('application_name') AS app, count(*)::int AS n FROM products`));
    for (const [row] of rows) expect(row).toEqual({ path: '"catalog"', app: "open-postgres test", n: 0 });
    expect(await db.answers()).toBe(true);
  } finally {
    await db.close();
  }
  expect(await db.answers()).toBe(false);
});
