// Migration 0002 rebuilds the reservation tables as WITHOUT ROWID: applied to a file holding
// reservations, every row survives and the keys still refuse duplicates. (Every other catalog
// test runs on the migrated tables.)
import { Database } from "bun:sqlite";
import { afterAll, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { migrationSteps } from "../support/migrations";
import { tempDir } from "../support/processes";

const steps = migrationSteps(join(import.meta.dir, "..", "..", "src", "modules", "catalog", "migrations"));
const dir = tempDir("shop-catalog-migration-");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("reservations and their lines survive the rebuild into tables keyed by their primary keys", () => {
  const db = new Database(join(dir, "catalog.sqlite"), { create: true, strict: true });
  const rebuilds = steps.applyBefore(db, "0002_");
  const reservation = db.prepare("INSERT INTO reservations (id, status, created_at, updated_at) VALUES (?, ?, ?, ?)");
  const line = db.prepare("INSERT INTO reservation_lines (reservation_id, product_id, quantity) VALUES (?, ?, ?)");
  reservation.run("o1", "RESERVED", "2026-01-01T00:00:01Z", "2026-01-01T00:00:01Z");
  reservation.run("o2", "RELEASED", "2026-01-01T00:00:02Z", "2026-01-01T00:00:03Z");
  line.run("o1", "p1", 2);
  line.run("o1", "p2", 1);

  for (const file of rebuilds) steps.apply(db, file);
  expect(db.query("SELECT id, status, created_at, updated_at FROM reservations ORDER BY id").values()).toEqual([
    ["o1", "RESERVED", "2026-01-01T00:00:01Z", "2026-01-01T00:00:01Z"],
    ["o2", "RELEASED", "2026-01-01T00:00:02Z", "2026-01-01T00:00:03Z"],
  ]);
  expect(db.query("SELECT reservation_id, product_id, quantity FROM reservation_lines ORDER BY product_id").values()).toEqual([
    ["o1", "p1", 2],
    ["o1", "p2", 1],
  ]);
  for (const table of ["reservations", "reservation_lines"]) expect(() => db.query(`SELECT rowid FROM ${table}`).get()).toThrow(/rowid/);
  expect(() => reservation.run("o1", "RESERVED", "t", "t")).toThrow(/UNIQUE|PRIMARY KEY/);
  expect(() => line.run("o1", "p1", 5)).toThrow(/UNIQUE|PRIMARY KEY/);
  db.close();
});
