// Migrations 0002 and 0003 rebuild cart_items and the cart's inbox as WITHOUT ROWID tables:
// applied step by step to a file that holds carts and handled checkouts, every row survives and
// the keys still refuse duplicates. (Every other cart test runs on the migrated tables.)
import { Database } from "bun:sqlite";
import { afterAll, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { migrationSteps } from "../support/migrations";
import { tempDir } from "../support/processes";

const steps = migrationSteps(join(import.meta.dir, "..", "..", "src", "modules", "cart", "migrations"));
const dir = tempDir("shop-cart-migration-");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("cart lines and handled checkouts survive the rebuild into tables keyed by their primary keys", () => {
  const db = new Database(join(dir, "cart.sqlite"), { create: true, strict: true });
  const rebuilds = steps.applyBefore(db, "0002_");
  const line = db.prepare("INSERT INTO cart_items (user_id, product_id, quantity, added_at, updated_at) VALUES (?, ?, ?, ?, ?)");
  line.run("u1", "p2", 2, "2026-01-01T00:00:02Z", "2026-01-01T00:00:02Z");
  line.run("u1", "p1", 1, "2026-01-01T00:00:01Z", "2026-01-01T00:00:03Z");
  line.run("u2", "p1", 5, "2026-01-01T00:00:04Z", "2026-01-01T00:00:04Z");
  const handled = db.prepare("INSERT INTO processed_events (consumer, event_id, processed_at) VALUES (?, ?, ?)");
  handled.run("cart-checkouts", "o1", "2026-01-01T00:00:05Z");
  handled.run("cart", "e1", "2026-01-01T00:00:06Z");
  for (const table of ["cart_items", "processed_events"]) expect(db.query(`SELECT rowid FROM ${table} LIMIT 1`).get()).toBeTruthy(); // rowid tables before

  for (const file of rebuilds) steps.apply(db, file);
  expect(db.query("SELECT user_id, product_id, quantity, added_at, updated_at FROM cart_items ORDER BY user_id, product_id").values()).toEqual([
    ["u1", "p1", 1, "2026-01-01T00:00:01Z", "2026-01-01T00:00:03Z"],
    ["u1", "p2", 2, "2026-01-01T00:00:02Z", "2026-01-01T00:00:02Z"],
    ["u2", "p1", 5, "2026-01-01T00:00:04Z", "2026-01-01T00:00:04Z"],
  ]);
  expect(db.query("SELECT consumer, event_id, processed_at FROM processed_events ORDER BY consumer").values()).toEqual([
    ["cart", "e1", "2026-01-01T00:00:06Z"],
    ["cart-checkouts", "o1", "2026-01-01T00:00:05Z"],
  ]);
  for (const table of ["cart_items", "processed_events"]) expect(() => db.query(`SELECT rowid FROM ${table}`).get()).toThrow(/rowid/); // the key is the row now
  expect(() => line.run("u1", "p1", 9, "t", "t")).toThrow(/UNIQUE|PRIMARY KEY/);
  expect(() => handled.run("cart-checkouts", "o1", "t")).toThrow(/UNIQUE|PRIMARY KEY/);
  db.close();
});
