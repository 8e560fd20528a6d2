// Two outbox relays on one PostgreSQL outbox, each its own process publishing to a real Kafka
// broker: one holds the lease and publishes, the other waits; SIGKILL the holder mid-stream and
// the other takes over within seconds. A consumer sees every event, once after dedupe by event id,
// and each aggregate's events in the order they were written.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { startKafkaOnFreePorts, type KafkaBroker } from "../../scripts/kafka/broker";
import { openPostgresDatabase, type PostgresDatabase } from "../../src/platform/db/postgres/open-postgres";
import { keep } from "../../src/platform/db/unit-of-work";
import { PostgresUnitOfWork } from "../../src/platform/db/unit-of-work.postgres";
import type { DomainEvent } from "../../src/platform/events/event";
import { KafkaBus } from "../../src/platform/events/kafka-bus";
import { PostgresOutbox } from "../../src/platform/events/outbox.postgres";
import { createLogger } from "../../src/platform/logger";
import { MODULE_DATABASES } from "../postgres/module-databases";
import { freshDatabase, POSTGRES_START_TIMEOUT_MS } from "../support/postgres";
import { repoRoot, tempDir } from "../support/processes";
import { eventually } from "../support/sse";
import { WatchedProcess } from "../support/watched-process";

const HOLDING = /holding the outbox relay lease/g;
const AGGREGATES = ["p-1", "p-2", "p-3", "p-4", "p-5"];
const PER_AGGREGATE = 60;

let url: string;
let database: PostgresDatabase;
let broker: KafkaBroker;
const kafkaDir = tempDir("relay-replicas-kafka-");
const replicas: WatchedProcess[] = [];

beforeAll(async () => {
  url = await freshDatabase("relay_replicas");
  const folder = MODULE_DATABASES.find((m) => m.module === "catalog")!.postgresFolder;
  database = await openPostgresDatabase({ engine: "postgres", url, variable: "DATABASE_URL", schema: "catalog" }, { migrationsFolder: folder, max: 4 });
  broker = await startKafkaOnFreePorts({ dataDir: kafkaDir });
}, POSTGRES_START_TIMEOUT_MS + 180_000);

afterAll(async () => {
  for (const r of replicas) r.kill();
  await database?.close();
  await broker?.stop();
  rmSync(kafkaDir, { recursive: true, force: true });
});

const startReplica = (name: string) => {
  const r = WatchedProcess.spawn(["bun", "test/replicas/fixtures/relay-replica.ts", url, broker.brokers, name], { cwd: repoRoot, env: { ...process.env } });
  replicas.push(r);
  return r;
};
const holds = (r: WatchedProcess) => (r.output().match(HOLDING) ?? []).length;

test("one relay publishes at a time; killing it mid-stream, the other takes over and nothing is lost or reordered", async () => {
  const [a, b] = [startReplica("relay-a"), startReplica("relay-b")];
  await Promise.all([a.waitFor(/relay replica started/, 60_000), b.waitFor(/relay replica started/, 60_000)]);
  await eventually(async () => expect(holds(a) + holds(b)).toBe(1), 10_000);
  await Bun.sleep(1500); // a follower retries every second: still exactly one holder
  expect(holds(a) + holds(b)).toBe(1);
  const [holder, follower] = holds(a) ? [a, b] : [b, a];

  const received: DomainEvent[] = [];
  const consumer = new KafkaBus({ brokers: [broker.brokers], clientId: "relay-replicas-consumer", topics: ["product"], log: createLogger("silent") });
  consumer.subscribe({ group: "relay-replicas-test", aggregateTypes: ["product"], handle: async (e) => void received.push(e) });
  await consumer.start();
  try {
    // Each aggregate written in sequence (its write order is n), the aggregates side by side.
    const outbox = new PostgresOutbox(database.sql);
    const units = new PostgresUnitOfWork(database.sql, outbox, "catalog");
    let written = 0;
    let takeOver: Promise<number> | undefined;
    const writers = AGGREGATES.map(async (id) => {
      for (let n = 0; n < PER_AGGREGATE; n++) {
        await units.run(() => keep(undefined, [{ type: "stock.changed", aggregateType: "product", aggregateId: id, payload: { n } }]));
        written++;
        if (written === 100) {
          holder.kill("SIGKILL");
          const killedAt = Date.now();
          takeOver = follower.waitFor(HOLDING, 10_000).then(() => Date.now() - killedAt);
        }
        await Bun.sleep(15);
      }
    });
    await Promise.all(writers);
    const takeOverMs = await takeOver!;
    expect(takeOverMs).toBeLessThan(5_000);

    const total = AGGREGATES.length * PER_AGGREGATE;
    await eventually(async () => expect(new Set(received.map((e) => e.id)).size).toBe(total), 60_000);
    const seen = new Set<string>();
    const firsts = received.filter((e) => !seen.has(e.id) && seen.add(e.id));
    for (const id of AGGREGATES) {
      expect(firsts.filter((e) => e.aggregateId === id).map((e) => (e.payload as { n: number }).n)).toEqual([...Array(PER_AGGREGATE).keys()]);
    }
    const [unpublished] = await database.sql`SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL`;
    expect(unpublished.n).toBe(0);
    console.log(`relay take-over: ${takeOverMs} ms after SIGKILL; ${received.length - total} duplicate deliveries of ${total} events`);
    expect(holds(follower)).toBe(1);
  } finally {
    await consumer.stop();
  }
}, 180_000);
