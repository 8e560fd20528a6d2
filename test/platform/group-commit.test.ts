// Group commit on real SQLite files: units of one turn share a commit, a unit that throws undoes
// only itself, nothing is visible to another connection before `writesOnDisk()` resolves, a failed
// commit keeps nothing of its batch, a batch's WAL is synced before anyone hears of it, and a write
// lock held elsewhere is retried, counted, then reported as SQLITE_BUSY.
import { Database } from "bun:sqlite";
import { afterAll, afterEach, describe, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { acrossBoundary, afterCommit, commitNow, joinCommitBatch, setCommitSync, syncCommitsOffThread, writesOnDisk } from "../../src/platform/db/group-commit";
import { WalSync } from "../../src/platform/db/wal-sync";
import { registry } from "../../src/platform/observability/metrics";
import { tempDir } from "../support/processes";

const dir = tempDir("shop-tx-");
function openDb(name: string) {
  const file = join(dir, name);
  const db = new Database(file, { create: true, strict: true });
  db.run("PRAGMA journal_mode = WAL");
  db.run("CREATE TABLE IF NOT EXISTS t (v INTEGER NOT NULL)");
  const reader = new Database(file, { readonly: true, strict: true }); // another connection: sees committed rows only
  const insert = db.prepare("INSERT INTO t (v) VALUES (?)");
  const committed = () => reader.query<{ v: number }, []>("SELECT v FROM t ORDER BY rowid").all().map((r) => r.v);
  return { file, db, reader, insert, committed };
}
const a = openDb("a.sqlite");
const b = openDb("b.sqlite");
const c = openDb("c.sqlite");
afterAll(() => {
  for (const x of [a, b, c]) {
    x.reader.close();
    x.db.close();
  }
  rmSync(dir, { recursive: true, force: true });
});

test("units of one turn share one transaction; another connection sees them only after writesOnDisk()", async () => {
  expect(joinCommitBatch(a.db, () => (a.insert.run(1), "first"))).toBe("first");
  joinCommitBatch(a.db, () => a.insert.run(2));
  joinCommitBatch(b.db, () => b.insert.run(10));
  expect(a.db.inTransaction).toBe(true); // still open: one commit for both units
  expect(a.committed()).toEqual([]);
  await writesOnDisk();
  expect(a.db.inTransaction).toBe(false);
  expect(a.committed()).toEqual([1, 2]);
  expect(b.committed()).toEqual([10]);
  await writesOnDisk(); // nothing open: resolves at once
});

test("a unit that throws undoes only its own writes, and the error reaches its caller at once", async () => {
  joinCommitBatch(a.db, () => a.insert.run(3));
  expect(() => joinCommitBatch(a.db, () => (a.insert.run(4), (() => { throw new Error("refused"); })()))).toThrow("refused");
  joinCommitBatch(a.db, () => {
    a.insert.run(5);
    // Nested: a savepoint inside the unit's savepoint.
    expect(() => joinCommitBatch(a.db, () => (a.insert.run(6), (() => { throw new Error("inner"); })()))).toThrow("inner");
  });
  await writesOnDisk();
  expect(a.committed()).toEqual([1, 2, 3, 5]);
});

test("a failed commit rejects writesOnDisk() and keeps nothing of the batch", async () => {
  a.db.run("CREATE TABLE IF NOT EXISTS parent (id INTEGER PRIMARY KEY)");
  a.db.run("CREATE TABLE IF NOT EXISTS child (parent INTEGER REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED)");
  a.db.run("PRAGMA foreign_keys = ON");
  joinCommitBatch(a.db, () => a.insert.run(7));
  joinCommitBatch(a.db, () => a.db.run("INSERT INTO child (parent) VALUES (42)")); // checked at COMMIT: fails it
  await expect(writesOnDisk()).rejects.toThrow(/FOREIGN KEY/);
  expect(a.db.inTransaction).toBe(false);
  expect(a.committed()).toEqual([1, 2, 3, 5]);
  a.db.run("PRAGMA foreign_keys = OFF");
});

test("afterCommit hooks run once their batch has committed, never for a unit that rolled back or a commit that failed", async () => {
  const ran: string[] = [];
  expect(afterCommit(c.db, () => ran.push("outside"))).toBe(false); // no unit of work: nothing registered
  joinCommitBatch(c.db, () => {
    c.insert.run(1);
    afterCommit(c.db, () => ran.push(`committed ${c.committed().join()}`)); // what another connection sees by then
  });
  expect(() =>
    joinCommitBatch(c.db, () => {
      afterCommit(c.db, () => ran.push("rolled back"));
      throw new Error("refused");
    }),
  ).toThrow("refused");
  joinCommitBatch(c.db, () => {
    afterCommit(c.db, () => ran.push("outer"));
    expect(() => joinCommitBatch(c.db, () => (afterCommit(c.db, () => ran.push("inner rolled back")), (() => { throw new Error("inner"); })()))).toThrow("inner");
  });
  expect(ran).toEqual([]); // nothing before the commit
  await writesOnDisk();
  expect(ran).toEqual(["committed 1", "outer"]);

  c.db.run("CREATE TABLE IF NOT EXISTS parent (id INTEGER PRIMARY KEY)");
  c.db.run("CREATE TABLE IF NOT EXISTS child (parent INTEGER REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED)");
  c.db.run("PRAGMA foreign_keys = ON");
  joinCommitBatch(c.db, () => {
    c.db.run("INSERT INTO child (parent) VALUES (42)"); // fails the COMMIT
    afterCommit(c.db, () => ran.push("failed commit"));
  });
  await expect(writesOnDisk()).rejects.toThrow(/FOREIGN KEY/);
  joinCommitBatch(c.db, () => c.insert.run(2)); // the next batch does not inherit the failed one's hooks
  await writesOnDisk();
  expect(ran).toEqual(["committed 1", "outer"]);
  c.db.run("PRAGMA foreign_keys = OFF");
});

describe("a connection with a WalSync", () => {
  const d = openDb("d.sqlite");
  d.db.run("PRAGMA synchronous = FULL");
  const synchronous = () => d.db.query<{ synchronous: number }, []>("PRAGMA synchronous").get()!.synchronous;
  const events: string[] = [];
  class RecordingWalSync extends WalSync {
    override sync() {
      events.push("sync started");
      return super.sync().then(() => void events.push("synced"));
    }
  }
  syncCommitsOffThread(d.db, new RecordingWalSync(`${d.file}-wal`));
  afterEach(() => {
    setCommitSync("auto");
    events.length = 0;
  });
  afterAll(() => {
    d.reader.close();
    d.db.close();
  });

  test("on the thread pool: the batch commits without syncing, and its WAL is synced before its hooks run and its waiters resume", async () => {
    setCommitSync("thread-pool");
    joinCommitBatch(d.db, () => {
      d.insert.run(1);
      events.push(`synchronous in the batch: ${synchronous()}`); // 1: NORMAL, COMMIT leaves the sync to the WalSync
      afterCommit(d.db, () => events.push(`hook sees ${d.committed().join()}`));
    });
    await writesOnDisk();
    events.push("waiter");
    expect(events).toEqual(["synchronous in the batch: 1", "sync started", "synced", "hook sees 1", "waiter"]);
    expect(synchronous()).toBe(2); // FULL again: a write outside a batch syncs in its own COMMIT

    // Asked after the batch committed but before its sync returned: still waits for the sync.
    joinCommitBatch(d.db, () => d.insert.run(2));
    await new Promise((resolve) => setImmediate(resolve)); // the flush ran: committed, sync started
    expect(d.committed()).toEqual([1, 2]);
    expect(events.filter((e) => e === "synced")).toHaveLength(1);
    await writesOnDisk();
    expect(events.filter((e) => e === "synced")).toHaveLength(2);
  });

  test("in COMMIT: the batch syncs itself (FULL), and the WalSync is not asked", async () => {
    setCommitSync("in-commit");
    joinCommitBatch(d.db, () => {
      d.insert.run(3);
      events.push(`synchronous in the batch: ${synchronous()}`);
      afterCommit(d.db, () => events.push("hook"));
    });
    await writesOnDisk();
    expect(events).toEqual(["synchronous in the batch: 2", "hook"]);
  });

  test("auto: in COMMIT while the process is idle, as this test process is", async () => {
    await Bun.sleep(150); // a fresh window of the busy gauge, spent asleep
    joinCommitBatch(d.db, () => void events.push(`synchronous in the batch: ${synchronous()}`));
    await writesOnDisk();
    expect(events).toEqual(["synchronous in the batch: 2"]);
  });
});

test("acrossBoundary returns once the callee's writes have committed; the caller commits its own first only when it asks", async () => {
  joinCommitBatch(a.db, () => a.insert.run(8));
  const seenByCallee = await acrossBoundary(() => {
    const visible = a.committed(); // what another process would see when the call arrives
    joinCommitBatch(b.db, () => b.insert.run(11));
    return visible;
  });
  expect(seenByCallee).toEqual([1, 2, 3, 5]); // the caller's 8 was still in its open batch
  expect(b.committed()).toEqual([10, 11]); // the callee's write is durable by the time the caller goes on
  expect(a.committed()).toEqual([1, 2, 3, 5, 8]); // (committed by the same flush)

  joinCommitBatch(a.db, () => a.insert.run(80));
  await writesOnDisk(); // a caller whose writes must precede the callee's action says so
  expect(await acrossBoundary(() => a.committed())).toEqual([1, 2, 3, 5, 8, 80]);
  a.db.run("DELETE FROM t WHERE v = 80");
});

test("commitNow commits one connection's batch at once (before closing it)", () => {
  joinCommitBatch(a.db, () => a.insert.run(9));
  commitNow(a.db);
  expect(a.db.inTransaction).toBe(false);
  expect(a.committed()).toEqual([1, 2, 3, 5, 8, 9]);
});

test("a write lock held by another connection is retried, counted, then surfaces as SQLITE_BUSY", async () => {
  const other = new Database(a.file, { strict: true });
  other.run("BEGIN IMMEDIATE");
  const before = await busyRetries();
  try {
    expect(() => joinCommitBatch(a.db, () => a.insert.run(99), "tx-test")).toThrow(expect.objectContaining({ code: "SQLITE_BUSY" }));
  } finally {
    other.run("ROLLBACK");
    other.close();
  }
  expect((await busyRetries()) - before).toBe(2); // three attempts, two retries
  expect(a.db.inTransaction).toBe(false);
  joinCommitBatch(a.db, () => a.insert.run(12), "tx-test"); // the lock is free again
  await writesOnDisk();
  expect(a.committed()).toEqual([1, 2, 3, 5, 8, 9, 12]);
});

async function busyRetries(): Promise<number> {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === "shop_sqlite_busy_retries_total");
  return metric?.values.find((v) => v.labels.database === "tx-test")?.value ?? 0;
}

test("a connection closed with its batch still open fails that batch's waiters instead of crashing the flush", async () => {
  const c = openDb("closed.sqlite");
  joinCommitBatch(c.db, () => c.insert.run(1));
  joinCommitBatch(b.db, () => b.insert.run(13));
  c.reader.close();
  c.db.close(true); // not through openModuleDatabase's close(), which commits first
  await expect(writesOnDisk()).rejects.toThrow();
  expect(b.committed()).toEqual([10, 11, 13]); // the other database's batch still committed
  await writesOnDisk();
});
