// Two outbox relays on one PostgreSQL outbox, each its own process publishing to a real Kafka
// broker: one holds the lease and publishes, the other waits; SIGKILL the holder mid-stream and
// the other takes over within seconds. A consumer sees every event, once after dedupe by event id,
// and each aggregate's events in the order they were written. Then the consumer groups of two cart
// and two order service replicas: one group per handler across replicas, one live feed group each.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { Kafka, logLevel } from "kafkajs";
import { startKafkaOnFreePorts, type KafkaBroker } from "../../scripts/kafka/broker";
import { openPostgresDatabase, type PostgresDatabase } from "../../src/platform/db/postgres/open-postgres";
import { keep } from "../../src/platform/db/unit-of-work";
import { PostgresUnitOfWork } from "../../src/platform/db/unit-of-work.postgres";
import type { DomainEvent } from "../../src/platform/events/event";
import { KafkaBus } from "../../src/platform/events/kafka-bus";
import { PostgresOutbox } from "../../src/platform/events/outbox.postgres";
import { createLogger } from "../../src/platform/logger";
import { MODULE_DATABASES } from "../postgres/module-databases";
import { freshDatabase, freshModuleDatabases, POSTGRES_START_TIMEOUT_MS } from "../support/postgres";
import { freePort, repoRoot, startEntrypoint, tempDir, type ServerProcess } from "../support/processes";
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
const services: ServerProcess[] = [];

beforeAll(async () => {
  url = await freshDatabase("relay_replicas");
  const folder = MODULE_DATABASES.find((m) => m.module === "catalog")!.postgresFolder;
  database = await openPostgresDatabase({ engine: "postgres", url, variable: "DATABASE_URL", schema: "catalog" }, { migrationsFolder: folder, max: 4 });
  broker = await startKafkaOnFreePorts({ dataDir: kafkaDir });
}, POSTGRES_START_TIMEOUT_MS + 180_000);

afterAll(async () => {
  for (const r of replicas) r.kill();
  for (const s of services) if (s.proc.exitCode === null) await s.kill();
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

test("two replicas of the cart and the order service: the cart's and the late-charge handlers are one group each, the live feed a group per replica", async () => {
  const down = `http://127.0.0.1:${freePort()}`; // the services they call are not needed for consuming
  const env = { ...(await freshModuleDatabases("consumer_groups")), KAFKA_BROKERS: broker.brokers, CATALOG_URL: down, CART_URL: down, ORDER_URL: down, PAYMENT_URL: down, IDENTITY_URL: down };
  const start = (service: string) => startEntrypoint(`${service}.ts`, env, { readyPath: "/health/live", readyTimeoutMs: 60_000 });
  services.push(...(await Promise.all([start("cart"), start("cart"), start("order"), start("order")])));
  const admin = new Kafka({ clientId: "groups-test", brokers: [broker.brokers], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const members = async () => {
      const ids = (await admin.listGroups()).groups.map((g) => g.groupId).filter((g) => g !== "relay-replicas-test");
      const described = await admin.describeGroups(ids);
      return Object.fromEntries(described.groups.map((g) => [g.groupId, g.members.length]));
    };
    await eventually(async () => {
      const groups = await members();
      expect(groups["cart"]).toBe(2); // order.paid: one group across replicas, each event to one of them
      expect(groups["order-payments"]).toBe(2); // the late-charge refund: likewise
      const live = Object.entries(groups).filter(([id]) => id.startsWith("order-live-"));
      expect(live.map(([, n]) => n)).toEqual([1, 1]); // the live feed: a group per replica, every replica sees every event
      expect(new Set(live.map(([id]) => id)).size).toBe(2);
    }, 60_000);
  } finally {
    await admin.disconnect();
  }
}, 120_000);
