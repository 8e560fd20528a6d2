// Write order per aggregate on PostgreSQL, where seq is taken at INSERT, not at COMMIT: two
// transactions appending to the same aggregate must not reach the bus in the reverse of their seq
// order, however they try to commit. (Different aggregates committing in reverse order: see
// outbox-relay.test.ts, the late row is published after, not lost.)
import { afterAll, beforeAll, expect, test } from "bun:test";
import type { SQL } from "bun";
import { openPostgresDatabase, type PostgresDatabase } from "../../src/platform/db/postgres/open-postgres";
import type { DomainEvent, EventBus } from "../../src/platform/events/event";
import { OutboxRelay } from "../../src/platform/events/outbox-relay";
import { PostgresOutbox } from "../../src/platform/events/outbox.postgres";
import { createLogger } from "../../src/platform/logger";
import { eventually } from "../support/sse";
import { freshDatabase, POSTGRES_START_TIMEOUT_MS } from "../support/postgres";
import { MODULE_DATABASES } from "./module-databases";

let database: PostgresDatabase;
beforeAll(async () => {
  const folder = MODULE_DATABASES.find((m) => m.module === "catalog")!.postgresFolder;
  database = await openPostgresDatabase({ engine: "postgres", url: await freshDatabase("outbox_order"), variable: "DATABASE_URL", schema: "catalog" }, { migrationsFolder: folder, max: 4 });
}, POSTGRES_START_TIMEOUT_MS);
afterAll(() => database?.close());

const event = (aggregateId: string, label: string) => ({ type: "stock.changed", aggregateType: "product", aggregateId, payload: { label } });

class RecordingBus implements EventBus {
  readonly name = "recording";
  readonly published: DomainEvent[] = [];
  async publish(events: DomainEvent[]) {
    this.published.push(...events);
  }
  subscribe() {}
  async start() {}
  async stop() {}
}

/** A transaction that appends `label` to `aggregateId` and commits only when told. */
function openTransaction(sql: SQL, outbox: PostgresOutbox, aggregateId: string, label: string) {
  let commit!: () => void;
  const mayCommit = new Promise<void>((resolve) => (commit = resolve));
  let appended = false;
  const done = sql.begin(async (tx) => {
    await outbox.append(tx, [event(aggregateId, label)]);
    appended = true;
    await mayCommit;
  });
  return { commit, done, appended: () => appended };
}

test("two transactions on one aggregate, the second told to commit first: the bus gets them in seq order", async () => {
  const sql = database.sql;
  const outbox = new PostgresOutbox(sql);
  const first = openTransaction(sql, outbox, "p-1", "first");
  await eventually(async () => expect(first.appended()).toBe(true), 5_000);
  const second = openTransaction(sql, outbox, "p-1", "second");
  second.commit(); // the second would commit now, ahead of the first...
  const bus = new RecordingBus();
  const relay = new OutboxRelay(outbox, bus, createLogger("silent"), { idleMs: 50 });
  relay.start();
  try {
    await Bun.sleep(500); // ...and the relay would publish it while the first is still open
    expect(second.appended()).toBe(false); // instead it waits for the aggregate's lock, held by the first
    first.commit();
    await Promise.all([first.done, second.done]);
    await eventually(async () => expect(bus.published.map((e) => e.payload)).toEqual([{ label: "first" }, { label: "second" }]), 10_000);
    const rows: Array<{ label: string }> = await sql`SELECT payload::json->>'label' AS label FROM outbox WHERE aggregate_id = 'p-1' ORDER BY seq`;
    expect(rows.map((r) => r.label)).toEqual(["first", "second"]); // seq order is commit order
  } finally {
    await relay.stop();
  }
});

test("transactions on different aggregates do not wait for each other, and appends naming aggregates in opposite orders do not deadlock", async () => {
  const sql = database.sql;
  const outbox = new PostgresOutbox(sql);
  const a = openTransaction(sql, outbox, "q-1", "a");
  const b = openTransaction(sql, outbox, "q-2", "b");
  await eventually(async () => expect([a.appended(), b.appended()]).toEqual([true, true]), 5_000);
  b.commit();
  await b.done; // committed while a is open: no wait on another aggregate
  a.commit();
  await a.done;
  // Two events each, in opposite aggregate orders, many times at once: the locks are taken sorted.
  const rounds = Array.from({ length: 20 }, (_, i) =>
    sql.begin(async (tx) => {
      const pair = i % 2 ? [event("r-1", `x${i}`), event("r-2", `x${i}`)] : [event("r-2", `y${i}`), event("r-1", `y${i}`)];
      await outbox.append(tx, pair);
    }),
  );
  await Promise.all(rounds);
  const [row] = await sql`SELECT count(*)::int AS n FROM outbox WHERE aggregate_id IN ('r-1', 'r-2')`;
  expect(row.n).toBe(40);
}, 30_000);
