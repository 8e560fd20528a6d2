// Each database's PostgreSQL tables keep the constraints of its SQLite ones: both migrated for
// real, then read back from the engines' own catalogs (columns and NOT NULL, primary keys, unique
// constraints and indexes, other indexes, CHECK constraints). What PostgreSQL adds on purpose is
// listed below; anything else that differs fails here, so a migration made for one engine only
// is caught.
import { Database } from "bun:sqlite";
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { SQL } from "bun";
import { drizzle } from "drizzle-orm/bun-sqlite";
import { migrate } from "drizzle-orm/bun-sqlite/migrator";
import { migratePostgres } from "../../src/platform/db/postgres/migrate";
import { freshDatabase, POSTGRES_START_TIMEOUT_MS } from "../support/postgres";
import { tempDir } from "../support/processes";
import { MODULE_DATABASES } from "./module-databases";

/**
 * PostgreSQL's additions: the outbox shaped for several relays (outbox-postgres-schema.ts), and the
 * throttle counts replicas share (rate-limits-postgres-schema.ts; on SQLite they live in memory).
 */
const POSTGRES_ONLY = {
  columns: ["outbox.published_at", "outbox_relay.lease_holder", "outbox_relay.lease_until"],
  indexes: ["outbox.outbox_unpublished"],
  tables: ["rate_limits"],
};

interface Shape {
  /** table.column -> NOT NULL */
  columns: Record<string, boolean>;
  /** table -> primary key columns */
  primaryKeys: Record<string, string>;
  /** "table(col,col)" of every unique constraint or unique index other than the primary key */
  unique: string[];
  /** "table.name(col,col)" of every other index */
  indexes: string[];
  /** "table.name" of every CHECK constraint */
  checks: string[];
}

function sqliteShape(folder: string): Shape {
  const db = new Database(join(tempDir("parity-"), "db.sqlite"));
  migrate(drizzle({ client: db }), { migrationsFolder: folder });
  const shape: Shape = { columns: {}, primaryKeys: {}, unique: [], indexes: [], checks: [] };
  const tables = db.query("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__drizzle%'").all() as Array<{ name: string; sql: string }>;
  for (const { name: table, sql } of tables) {
    const columns = db.query(`PRAGMA table_info("${table}")`).all() as Array<{ name: string; notnull: number; pk: number }>;
    for (const c of columns) shape.columns[`${table}.${c.name}`] = c.notnull === 1 || c.pk > 0;
    shape.primaryKeys[table] = columns.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name).join(",");
    for (const index of db.query(`PRAGMA index_list("${table}")`).all() as Array<{ name: string; unique: number; origin: string }>) {
      if (index.origin === "pk") continue;
      const cols = (db.query(`PRAGMA index_info("${index.name}")`).all() as Array<{ name: string }>).map((c) => c.name).join(",");
      if (index.unique) shape.unique.push(`${table}(${cols})`);
      else shape.indexes.push(`${table}.${index.name}(${cols})`);
    }
    for (const m of sql.matchAll(/CONSTRAINT\s+"?(\w+)"?\s+CHECK/gi)) shape.checks.push(`${table}.${m[1]}`);
  }
  db.close();
  return sorted(shape);
}

async function postgresShape(sql: SQL, schema: string): Promise<Shape> {
  const shape: Shape = { columns: {}, primaryKeys: {}, unique: [], indexes: [], checks: [] };
  const columns: Array<{ t: string; c: string; nullable: string }> = await sql`
    SELECT table_name AS t, column_name AS c, is_nullable AS nullable FROM information_schema.columns
    WHERE table_schema = ${schema} AND table_name <> 'schema_migrations'`;
  for (const { t, c, nullable } of columns) shape.columns[`${t}.${c}`] = nullable === "NO";
  const indexes: Array<{ t: string; name: string; is_unique: boolean; is_primary: boolean; cols: string }> = await sql`
    SELECT tbl.relname AS t, idx.relname AS name, i.indisunique AS is_unique, i.indisprimary AS is_primary,
           (SELECT string_agg(a.attname, ',' ORDER BY k.ord) FROM unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
              JOIN pg_attribute a ON a.attrelid = tbl.oid AND a.attnum = k.attnum) AS cols
    FROM pg_index i JOIN pg_class idx ON idx.oid = i.indexrelid JOIN pg_class tbl ON tbl.oid = i.indrelid
    JOIN pg_namespace n ON n.oid = tbl.relnamespace
    WHERE n.nspname = ${schema} AND tbl.relname <> 'schema_migrations'`;
  for (const i of indexes) {
    if (i.is_primary) shape.primaryKeys[i.t] = i.cols;
    else if (i.is_unique) shape.unique.push(`${i.t}(${i.cols})`);
    else shape.indexes.push(`${i.t}.${i.name}(${i.cols})`);
  }
  for (const t of new Set(columns.map((c) => c.t))) shape.primaryKeys[t] ??= "";
  const checks: Array<{ t: string; name: string }> = await sql`
    SELECT rel.relname AS t, con.conname AS name FROM pg_constraint con JOIN pg_class rel ON rel.oid = con.conrelid
    JOIN pg_namespace n ON n.oid = rel.relnamespace WHERE n.nspname = ${schema} AND con.contype = 'c'`;
  for (const c of checks) shape.checks.push(`${c.t}.${c.name}`);
  return sorted(shape);
}

function sorted(shape: Shape): Shape {
  return {
    columns: Object.fromEntries(Object.entries(shape.columns).sort()),
    primaryKeys: Object.fromEntries(Object.entries(shape.primaryKeys).sort()),
    unique: shape.unique.sort(),
    indexes: shape.indexes.sort(),
    checks: shape.checks.sort(),
  };
}

function withoutPostgresAdditions(shape: Shape): Shape {
  const added = (tableAndRest: string) => POSTGRES_ONLY.tables.includes(tableAndRest.replace(/[.(].*$/, ""));
  const columns = Object.fromEntries(Object.entries(shape.columns).filter(([k]) => !POSTGRES_ONLY.columns.includes(k) && !added(k)));
  const primaryKeys = Object.fromEntries(Object.entries(shape.primaryKeys).filter(([table]) => !added(table)));
  const unique = shape.unique.filter((u) => !added(u));
  const indexes = shape.indexes.filter((i) => !POSTGRES_ONLY.indexes.includes(i.replace(/\(.*$/, "")) && !added(i));
  const checks = shape.checks.filter((c) => !added(c));
  return { ...shape, columns, primaryKeys, unique, indexes, checks };
}

let sql: SQL;
beforeAll(async () => {
  sql = new SQL({ url: await freshDatabase("schema-parity"), max: 2 });
}, POSTGRES_START_TIMEOUT_MS);
afterAll(() => sql?.close());

describe.each(MODULE_DATABASES)("$module", ({ module, sqliteFolder, postgresFolder }) => {
  test("PostgreSQL has SQLite's columns, keys, unique constraints, indexes and checks", async () => {
    await migratePostgres(sql, { schema: module, folder: postgresFolder });
    const postgres = await postgresShape(sql, module);
    const sqlite = sqliteShape(sqliteFolder);
    expect(Object.keys(postgres.columns).length).toBeGreaterThan(3);
    expect(withoutPostgresAdditions(postgres)).toEqual(sqlite);
  });
});
