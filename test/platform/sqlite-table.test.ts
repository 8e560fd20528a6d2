import { Database } from "bun:sqlite";
import { describe, expect, test } from "bun:test";
import { getTableColumns } from "drizzle-orm";
import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { SqliteTable } from "../../src/platform/db/table.sqlite";

// Repositories build their SQL from the drizzle schema (no hand-kept column list): the pieces
// must name every column as the schema does and store JSON columns as drizzle would.

const things = sqliteTable("things", {
  id: text("id").primaryKey(),
  ownerId: text("owner_id").notNull(),
  lines: text("lines", { mode: "json" }).$type<Array<{ sku: string; qty: number }>>().notNull(),
  count: integer("count").notNull(),
  note: text("note"),
});
const table = new SqliteTable(things);

describe("SqliteTable", () => {
  test("every column of the schema, in its order, under the name the schema gives it", () => {
    expect(table.keys() as string[]).toEqual(Object.keys(getTableColumns(things)));
    expect(table.select()).toBe(`"id" AS "id", "owner_id" AS "ownerId", "lines" AS "lines", "count" AS "count", "note" AS "note"`);
    expect(table.insert(["id", "ownerId"])).toBe(`INSERT INTO "things" ("id", "owner_id") VALUES ($id, $ownerId)`);
    expect(table.assign(["count", "note"])).toBe(`"count" = $count, "note" = $note`);
    expect(() => table.column("nope" as "id")).toThrow(`"things" has no column for nope`);
  });

  test("a row written and read back through the pieces comes back as it went in, JSON columns included", () => {
    const sqlite = new Database(":memory:", { strict: true });
    sqlite.run(`CREATE TABLE things (id TEXT PRIMARY KEY, owner_id TEXT NOT NULL, lines TEXT NOT NULL, count INTEGER NOT NULL, note TEXT)`);
    const row = { id: "t-1", ownerId: "u-1", lines: [{ sku: "lamp", qty: 2 }], count: 3, note: null };
    sqlite.query(table.insert()).run(table.params(row, table.keys()));
    expect(sqlite.query<{ lines: string }, []>(`SELECT lines FROM things`).get()!.lines).toBe(`[{"sku":"lamp","qty":2}]`);
    const read = sqlite.query<typeof row, [string]>(`SELECT ${table.select()} FROM ${table.name} WHERE ${table.column("id")} = ?`).get("t-1")!;
    expect(table.fromRow(read)).toEqual(row);
    sqlite.close();
  });

  test("parameters the row lacks are bound as null, and only the keys asked for", () => {
    expect(table.params({ id: "t-2", count: 1 }, ["id", "count", "note"])).toEqual({ id: "t-2", count: 1, note: null });
  });
});
