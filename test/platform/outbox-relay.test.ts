// The outbox relay on a real module database (the payment module's migrations) and the real
// in-process bus: delivery in write order, committed events taken from memory unless a gap says
// otherwise, a failing handler keeps the events for a retry, the relay's single position,
// pruning, and the migration that carried the old per-row marks over.
import { Database } from "bun:sqlite";
import { afterAll, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { openModuleDatabase } from "../../src/platform/db/open-database";
import { writesOnDisk, joinCommitBatch } from "../../src/platform/db/group-commit";
import type { DomainEvent } from "../../src/platform/events/event";
import { InProcessBus } from "../../src/platform/events/in-process-bus";
import { OutboxRelay } from "../../src/platform/events/outbox-relay";
import { SqliteOutbox } from "../../src/platform/events/outbox.sqlite";
import * as schema from "../../src/modules/payment/schema";
import { createLogger } from "../../src/platform/logger";
import { migrationSteps } from "../support/migrations";
import { tempDir } from "../support/processes";

const log = createLogger("silent");
const MIGRATIONS = join(import.meta.dir, "..", "..", "src", "modules", "payment", "migrations");
const dir = tempDir("shop-relay-");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function setup(name: string, opts: { retentionMs?: number } = {}) {
  const database = openModuleDatabase(join(dir, name), "payment", schema, MIGRATIONS);
  const bus = new InProcessBus(log);
  const seen: DomainEvent[] = [];
  let failNext = 0;
  bus.subscribe({
    group: "test",
    aggregateTypes: ["thing"],
    handle: (event) => {
      if (failNext > 0) {
        failNext--;
        throw new Error("handler down");
      }
      seen.push(event);
    },
  });
  const outbox = new SqliteOutbox(database.sqlite);
  const relay = new OutboxRelay(outbox, bus, log, { idleMs: 20, ...opts });
  const append = (n: number, from = 0) =>
    joinCommitBatch(database.sqlite, () =>
      outbox.append(Array.from({ length: n }, (_, i) => ({ type: "thing.happened", aggregateType: "thing", aggregateId: `a${from + i}`, payload: { n: from + i } }))),
    );
  const position = () => database.sqlite.query<{ p: number }, []>("SELECT published_seq AS p FROM outbox_relay").get()!.p;
  const rows = () => database.sqlite.query<{ n: number }, []>("SELECT COUNT(*) AS n FROM outbox").get()!.n;
  return { database, outbox, relay, seen, append, position, rows, failNextHandles: (n: number) => (failNext = n) };
}

async function until(check: () => boolean, ms = 3000) {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await Bun.sleep(10);
  }
}

test("events reach the bus once each, in write order, and the position ends at the last one", async () => {
  const s = setup("order");
  s.relay.start();
  s.append(3, 0);
  s.append(2, 3);
  s.relay.nudge();
  await until(() => s.seen.length === 5);
  await Bun.sleep(60); // more drains find nothing new
  expect(s.seen.map((e) => (e.payload as { n: number }).n)).toEqual([0, 1, 2, 3, 4]);
  await writesOnDisk();
  expect(s.relay.backlog()).toBe(0);
  expect(s.position()).toBe(5);
  await s.relay.stop();
  s.database.close();
});

test("committed events travel from memory when they continue where the relay stopped, from the table around a gap", async () => {
  const s = setup("memory");
  s.relay.start();
  s.append(2, 0); // position unknown yet: read from the table
  s.relay.nudge();
  await until(() => s.seen.length === 2);

  const payload = { n: 2 };
  joinCommitBatch(s.database.sqlite, () => s.outbox.append([{ type: "thing.happened", aggregateType: "thing", aggregateId: "a2", payload }]));
  // No nudge by hand: the hand-over itself nudges the relay, once the batch is on disk.
  await until(() => s.seen.length === 3);
  expect(s.seen[2]!.payload).toBe(payload); // the very object: not read back and parsed

  expect(() =>
    joinCommitBatch(s.database.sqlite, () => {
      s.outbox.append([{ type: "thing.happened", aggregateType: "thing", aggregateId: "rolled-back", payload: {} }]);
      throw new Error("refused");
    }),
  ).toThrow("refused");
  // Another writer on the file (another process): its event sits between two of ours.
  const other = new Database(s.database.path, { strict: true });
  s.append(1, 3);
  await writesOnDisk();
  new SqliteOutbox(other).append([{ type: "thing.happened", aggregateType: "thing", aggregateId: "other", payload: { n: 4 } }]);
  s.append(1, 5);
  s.relay.nudge();
  await until(() => s.seen.length === 6);
  await Bun.sleep(60); // more drains find nothing new
  expect(s.seen.map((e) => e.aggregateId)).toEqual(["a0", "a1", "a2", "a3", "other", "a5"]);
  expect(s.position()).toBe(6);
  other.close();
  await s.relay.stop();
  s.database.close();
});

test("a handler that fails keeps the events in the outbox; a later drain delivers them", async () => {
  const s = setup("retry");
  s.failNextHandles(2);
  s.append(2);
  s.relay.start();
  await until(() => s.seen.length === 2);
  expect(s.seen.map((e) => e.aggregateId)).toEqual(["a0", "a1"]);
  expect(s.relay.backlog()).toBe(0);
  await s.relay.stop();
  s.database.close();
});

test("pruning removes published events past the retention and keeps the rest", async () => {
  const s = setup("prune", { retentionMs: 0 });
  s.append(4);
  await Bun.sleep(5); // strictly older than the first drain's cut-off
  s.relay.start();
  await until(() => s.seen.length === 4);
  await s.relay.stop();
  await writesOnDisk();
  expect(s.rows()).toBe(0); // published and older than 0 ms: gone
  s.append(2, 4); // unpublished: kept, and numbered after the pruned ones
  await writesOnDisk();
  expect(s.rows()).toBe(2);
  expect(s.database.sqlite.query<{ seq: number }, []>("SELECT MIN(seq) AS seq FROM outbox").get()!.seq).toBe(5);
  expect(s.relay.backlog()).toBe(2);
  s.database.close();
});

test("the migration to a single position keeps every event that was not yet published", () => {
  const db = new Database(join(dir, "migrated.sqlite"), { create: true, strict: true });
  const steps = migrationSteps(MIGRATIONS);
  const [second] = steps.applyBefore(db, "0001_");
  const insert = db.prepare("INSERT INTO outbox (id, type, aggregate_type, aggregate_id, payload, occurred_at, published_at) VALUES (?, 't', 'thing', 'a', '{}', '2026-01-01T00:00:00Z', ?)");
  for (let i = 1; i <= 5; i++) insert.run(`e${i}`, i <= 3 ? "2026-01-01T00:00:01Z" : null); // 1-3 published, 4-5 not
  steps.apply(db, second!);
  expect(db.query<{ p: number }, []>("SELECT published_seq AS p FROM outbox_relay").get()!.p).toBe(3);
  db.close();
});
