// inTransaction on a real SQLite file: all or nothing, nested work in a savepoint, and a write
// lock held elsewhere retried, counted, then reported as SQLITE_BUSY.
import { Database } from "bun:sqlite";
import { afterAll, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { inTransaction } from "../../src/platform/db/transaction";
import { registry } from "../../src/platform/observability/metrics";
import { tempDir } from "../support/processes";

const dir = tempDir("shop-tx-");
const file = join(dir, "tx.sqlite");
const db = new Database(file, { create: true, strict: true });
db.run("PRAGMA journal_mode = WAL");
db.run("CREATE TABLE t (v INTEGER NOT NULL)");
const insert = db.prepare("INSERT INTO t (v) VALUES (?)");
const values = () => db.query<{ v: number }, []>("SELECT v FROM t ORDER BY rowid").all().map((r) => r.v);
afterAll(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

test("commits the work and returns its result", () => {
  expect(inTransaction(db, () => (insert.run(1), insert.run(2), "done"))).toBe("done");
  expect(values()).toEqual([1, 2]);
  expect(db.inTransaction).toBe(false);
});

test("a throw rolls back everything the work wrote", () => {
  expect(() => inTransaction(db, () => (insert.run(3), insert.run(4), (() => { throw new Error("refused"); })()))).toThrow("refused");
  expect(values()).toEqual([1, 2]);
  expect(db.inTransaction).toBe(false);
});

test("nested work runs in a savepoint: its failure undoes only its own writes", () => {
  inTransaction(db, () => {
    insert.run(5);
    expect(() => inTransaction(db, () => (insert.run(6), (() => { throw new Error("inner"); })()))).toThrow("inner");
    inTransaction(db, () => insert.run(7));
  });
  expect(values()).toEqual([1, 2, 5, 7]);
});

test("a write lock held by another connection is retried, counted, then surfaces as SQLITE_BUSY", async () => {
  const other = new Database(file, { strict: true });
  other.run("BEGIN IMMEDIATE");
  const before = await busyRetries();
  try {
    expect(() => inTransaction(db, () => insert.run(8), "tx-test")).toThrow(expect.objectContaining({ code: "SQLITE_BUSY" }));
  } finally {
    other.run("ROLLBACK");
    other.close();
  }
  expect((await busyRetries()) - before).toBe(2); // three attempts, two retries
  expect(db.inTransaction).toBe(false);
  inTransaction(db, () => insert.run(8), "tx-test"); // the lock is free again
  expect(values()).toEqual([1, 2, 5, 7, 8]);
});

async function busyRetries(): Promise<number> {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === "shop_sqlite_busy_retries_total");
  return metric?.values.find((v) => v.labels.database === "tx-test")?.value ?? 0;
}
