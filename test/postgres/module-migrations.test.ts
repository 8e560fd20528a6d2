// Every module's PostgreSQL migrations on a real server: on an empty database; on one holding data
// (the first migrations applied, rows written, then the rest, at every split point, and a restart
// at the newest); and from the folder layout the root Dockerfile gives a bundled image
// (MIGRATIONS_ROOT/<database>/postgres).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { SQL } from "bun";
import { migratePostgres, postgresMigrationsFolder, readMigrations } from "../../src/platform/db/postgres/migrate";
import { freshDatabase, POSTGRES_START_TIMEOUT_MS } from "../support/postgres";
import { repoRoot, tempDir } from "../support/processes";
import { MODULE_DATABASES } from "./module-databases";

let sql: SQL;
beforeAll(async () => {
  sql = new SQL({ url: await freshDatabase("module-migrations"), max: 4 });
}, POSTGRES_START_TIMEOUT_MS);
afterAll(() => sql?.close());

/** The folder as an older build had it: its first `count` migrations. */
function firstMigrations(folder: string, count: number): string {
  const copy = tempDir("pg-first-migrations-");
  cpSync(folder, copy, { recursive: true });
  const journalFile = join(copy, "meta", "_journal.json");
  const journal = JSON.parse(readFileSync(journalFile, "utf8"));
  journal.entries = journal.entries.slice(0, count);
  writeFileSync(journalFile, JSON.stringify(journal));
  return copy;
}

interface Column {
  table: string;
  column: string;
  type: string;
  identity: string;
}

/** Writes two rows into every table of the schema, each column given a value its type takes. */
async function fillEveryTable(schema: string): Promise<Record<string, number>> {
  const columns: Column[] = await sql`
    SELECT table_name AS table, column_name AS column, data_type AS type, coalesce(identity_generation, '') AS identity
    FROM information_schema.columns
    WHERE table_schema = ${schema} AND table_name <> 'schema_migrations'
    ORDER BY table_name, ordinal_position`;
  const tables = new Map<string, Column[]>();
  for (const c of columns) tables.set(c.table, [...(tables.get(c.table) ?? []), c]);
  const counts: Record<string, number> = {};
  for (const [table, cols] of tables) {
    const writable = cols.filter((c) => c.identity !== "ALWAYS");
    for (const row of [1, 2]) {
      const values = writable.map((c) => valueFor(c, row));
      const list = writable.map((c) => `"${c.column}"`).join(", ");
      const params = values.map((_, i) => `$${i + 1}`).join(", ");
      await sql.unsafe(`INSERT INTO "${schema}"."${table}" (${list}) VALUES (${params})`, values);
    }
    const [{ n }] = await sql.unsafe(`SELECT count(*)::int AS n FROM "${schema}"."${table}"`);
    counts[table] = n;
  }
  return counts;
}

function valueFor(c: Column, row: number): unknown {
  if (c.type === "integer" || c.type === "bigint" || c.type === "smallint") return 100 + row; // above outbox_relay's id 1, stock >= 0
  if (c.type === "jsonb" || c.type === "json") return [{ row }];
  if (c.type.startsWith("timestamp")) return new Date(Date.UTC(2026, 0, row)).toISOString();
  if (c.type === "text" || c.type === "character varying") return `${c.table}-${c.column}-${row}`;
  throw new Error(`no test value for ${c.table}.${c.column} of type ${c.type}: teach fillEveryTable`);
}

async function tableCounts(schema: string): Promise<Record<string, number>> {
  const tables: Array<{ name: string }> = await sql`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = ${schema} AND table_name <> 'schema_migrations' ORDER BY 1`;
  const counts: Record<string, number> = {};
  for (const { name } of tables) counts[name] = (await sql.unsafe(`SELECT count(*)::int AS n FROM "${schema}"."${name}"`))[0].n;
  return counts;
}

describe.each(MODULE_DATABASES)("$module", ({ module, postgresFolder }) => {
  const tags = readMigrations(postgresFolder).map((m) => m.tag);

  test("migrates an empty database, and a second start applies nothing", async () => {
    const schema = `${module}_empty`;
    expect(await migratePostgres(sql, { schema, folder: postgresFolder })).toEqual({ applied: tags, present: [], unknown: [] });
    expect(await migratePostgres(sql, { schema, folder: postgresFolder })).toEqual({ applied: [], present: tags, unknown: [] });
    const recorded = await sql.unsafe(`SELECT tag FROM "${schema}".schema_migrations ORDER BY tag`);
    expect(recorded.map((r: { tag: string }) => r.tag)).toEqual(tags);
  });

  test("migrates a database holding data: after each earlier migration, and restarted at the newest", async () => {
    for (let applied = 1; applied <= tags.length; applied++) {
      const schema = `${module}_data_${applied}`;
      await migratePostgres(sql, { schema, folder: firstMigrations(postgresFolder, applied) });
      const written = await fillEveryTable(schema);
      expect(Object.keys(written).length).toBeGreaterThan(0);
      const result = await migratePostgres(sql, { schema, folder: postgresFolder });
      expect(result.applied).toEqual(tags.slice(applied));
      const after = await tableCounts(schema);
      for (const [table, count] of Object.entries(written)) expect({ table, count: after[table] }).toEqual({ table, count });
    }
  });
});

test("a bundled image's migrations (the Dockerfile's copy, under MIGRATIONS_ROOT) carry every module's PostgreSQL ones", async () => {
  // The Dockerfile's own copy step, run here with /out moved to a temporary folder.
  const dockerfile = readFileSync(join(repoRoot, "Dockerfile"), "utf8");
  const step = /^RUN (mkdir -p \/out\/migrations[\s\S]*?)\n(?!\s)/m.exec(dockerfile)?.[1];
  expect(step).toBeDefined();
  const out = tempDir("pg-image-");
  mkdirSync(join(out, "out"));
  const copy = Bun.spawnSync(["sh", "-c", step!.replaceAll("/out/", `${out}/out/`).replace(/\\\n/g, " ")], { cwd: repoRoot, stderr: "pipe" });
  expect(copy.stderr.toString()).toBe("");
  expect(copy.exitCode).toBe(0);
  const previous = process.env.MIGRATIONS_ROOT;
  process.env.MIGRATIONS_ROOT = join(out, "out", "migrations");
  try {
    for (const { module, postgresFolder } of MODULE_DATABASES) {
      const inImage = postgresMigrationsFolder(module, "/nowhere/in/the/image");
      expect(inImage).toBe(join(out, "out", "migrations", module, "postgres"));
      const result = await migratePostgres(sql, { schema: `${module}_image`, folder: inImage });
      expect(result.applied).toEqual(readMigrations(postgresFolder).map((m) => m.tag));
    }
  } finally {
    if (previous === undefined) delete process.env.MIGRATIONS_ROOT;
    else process.env.MIGRATIONS_ROOT = previous;
  }
});
