// The outbox relay on PostgreSQL, whose seq is taken at INSERT, not at COMMIT: a row can commit
// after a row with a higher seq was read and published. The relay must still publish it, once,
// and a row that commits while a batch is on its way to the bus must not be marked with it.
import { afterAll, beforeAll, expect, test } from "bun:test";
import type { SQL } from "bun";
import { openPostgresDatabase, type PostgresDatabase } from "../../src/platform/db/postgres/open-postgres";
import { keep } from "../../src/platform/db/unit-of-work";
import { PostgresUnitOfWork } from "../../src/platform/db/unit-of-work.postgres";
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
  database = await openPostgresDatabase({ engine: "postgres", url: await freshDatabase("outbox_relay"), variable: "DATABASE_URL", schema: "catalog" }, { migrationsFolder: folder, max: 4 });
}, POSTGRES_START_TIMEOUT_MS);
afterAll(() => database?.close());

const event = (aggregateId: string) => ({ type: "stock.changed", aggregateType: "product", aggregateId, payload: { aggregateId } });

/** A bus that records what it is given, and runs `duringFirstPublish` while the first batch is on its way. */
class RecordingBus implements EventBus {
  readonly name = "recording";
  readonly published: DomainEvent[] = [];
  constructor(private duringFirstPublish?: () => Promise<void>) {}
  async publish(events: DomainEvent[]) {
    const during = this.duringFirstPublish;
    this.duringFirstPublish = undefined;
    await during?.();
    this.published.push(...events);
  }
  subscribe() {}
  async start() {}
  async stop() {}
}

test("a row committed while a later row's batch is being published is published after it, not lost", async () => {
  const sql: SQL = database.sql;
  const outbox = new PostgresOutbox(sql);
  // Transaction A appends first (the lower seq) and stays open.
  let commitA!: () => void;
  const aMayCommit = new Promise<void>((resolve) => (commitA = resolve));
  let aAppended!: () => void;
  const appended = new Promise<void>((resolve) => (aAppended = resolve));
  const a = sql.begin(async (tx) => {
    await outbox.append(tx, [event("late")]);
    aAppended();
    await aMayCommit;
  });
  await appended;
  // B appends after (a higher seq) and commits at once.
  await new PostgresUnitOfWork(sql, outbox, "catalog").run(() => keep(undefined, [event("early")]));

  // The relay reads B's row; while that batch is with the bus, A commits.
  const bus = new RecordingBus(async () => {
    commitA();
    await a;
  });
  const relay = new OutboxRelay(outbox, bus, createLogger("silent"), { idleMs: 50 });
  relay.start();
  try {
    await eventually(async () => expect(bus.published.map((e) => e.aggregateId)).toEqual(["early", "late"]), 10_000);
    await Bun.sleep(200); // further drains publish nothing again
    expect(bus.published.map((e) => e.aggregateId)).toEqual(["early", "late"]);
    expect(await sql`SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL`).toEqual([{ n: 0 }]);
  } finally {
    await relay.stop();
  }
});
