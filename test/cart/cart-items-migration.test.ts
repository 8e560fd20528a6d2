// Migration 0002 rebuilds cart_items as a WITHOUT ROWID table: applied step by step to a file
// that holds carts, every line survives and the key still refuses a duplicate line. (Every other
// cart test runs on the migrated table.)
import { Database } from "bun:sqlite";
import { afterAll, expect, test } from "bun:test";
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "../support/processes";

const MIGRATIONS = join(import.meta.dir, "..", "..", "src", "modules", "cart", "migrations");
const dir = tempDir("shop-cart-migration-");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("cart lines survive the rebuild into one b-tree keyed by customer and product", () => {
  const db = new Database(join(dir, "cart.sqlite"), { create: true, strict: true });
  const files = readdirSync(MIGRATIONS).filter((f) => f.endsWith(".sql")).sort();
  const rebuild = files.findIndex((f) => f.startsWith("0002_"));
  expect(rebuild).toBeGreaterThan(0);
  const apply = (file: string) => {
    for (const statement of readFileSync(join(MIGRATIONS, file), "utf8").split("--> statement-breakpoint")) if (statement.trim()) db.run(statement);
  };
  for (const file of files.slice(0, rebuild)) apply(file);
  const insert = db.prepare("INSERT INTO cart_items (user_id, product_id, quantity, added_at, updated_at) VALUES (?, ?, ?, ?, ?)");
  insert.run("u1", "p2", 2, "2026-01-01T00:00:02Z", "2026-01-01T00:00:02Z");
  insert.run("u1", "p1", 1, "2026-01-01T00:00:01Z", "2026-01-01T00:00:03Z");
  insert.run("u2", "p1", 5, "2026-01-01T00:00:04Z", "2026-01-01T00:00:04Z");
  expect(db.query("SELECT rowid FROM cart_items LIMIT 1").get()).toBeTruthy(); // before: a rowid table

  apply(files[rebuild]!);
  expect(db.query("SELECT user_id, product_id, quantity, added_at, updated_at FROM cart_items ORDER BY user_id, product_id").values()).toEqual([
    ["u1", "p1", 1, "2026-01-01T00:00:01Z", "2026-01-01T00:00:03Z"],
    ["u1", "p2", 2, "2026-01-01T00:00:02Z", "2026-01-01T00:00:02Z"],
    ["u2", "p1", 5, "2026-01-01T00:00:04Z", "2026-01-01T00:00:04Z"],
  ]);
  expect(() => db.query("SELECT rowid FROM cart_items").get()).toThrow(/rowid/); // the key is the row now
  expect(() => insert.run("u1", "p1", 9, "t", "t")).toThrow(/UNIQUE|PRIMARY KEY/);
  db.close();
});
