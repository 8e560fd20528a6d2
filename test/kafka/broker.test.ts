// Real KRaft broker from scripts/kafka: started on ports picked again when the first were taken,
// produce/consume, then an outage (stop + restart on the same dataDir/ports) must keep the topic,
// the data and the group's committed offset.
import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Kafka, Partitioners, logLevel } from "kafkajs";
import { startKafka, startKafkaOnFreePorts, type KafkaBroker } from "../../scripts/kafka/broker.ts";
import { freePort } from "../support/processes";

const TOPIC = "orders.test";
const GROUP = "broker-test-group";
const T = { timeout: 180_000 };


/** Rejects after ms so no wait in this file is unbounded. */
function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: Timer | undefined;
  const timeout = new Promise<never>((_, fail) => { timer = setTimeout(() => fail(new Error(`timed out: ${what}`)), ms); });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** Retries a check for up to ms: right after an outage some admin calls (fetchOffsets) don't retry by themselves. */
async function eventually<T>(fn: () => Promise<T>, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      return await fn();
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await Bun.sleep(250);
    }
  }
}

const dataDir = mkdtempSync(join(tmpdir(), "kafka-test-"));
let port = 0;
let controllerPort = 0;
let broker: KafkaBroker | undefined;

// Quiet: right after a (re)start kafkajs logs retried "coordinator is loading" errors; real failures still throw.
const client = () => new Kafka({ clientId: "broker-test", brokers: [broker!.brokers], logLevel: logLevel.NOTHING });

afterAll(async () => {
  await broker?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

test("produces with an idempotent producer and consumes with a group", async () => {
  // The first ports picked are taken by the time the broker would listen: it picks again.
  const taken = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response() });
  const picks = [taken.port!, freePort(), freePort(), freePort()];
  try {
    broker = await startKafkaOnFreePorts({ dataDir }, async () => picks.shift()!);
  } finally {
    taken.stop(true);
  }
  expect(picks).toEqual([]); // a second pair was needed
  ({ port, controllerPort } = broker);
  expect(broker.brokers).toBe(`127.0.0.1:${port}`);
  expect(port).not.toBe(taken.port);

  const admin = client().admin();
  await admin.connect();
  try {
    expect(await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 1 }], waitForLeaders: true })).toBe(true);
  } finally {
    await admin.disconnect();
  }

  const producer = client().producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  try {
    await producer.send({ topic: TOPIC, acks: -1, messages: [{ key: "o-1", value: "hello" }] });
  } finally {
    await producer.disconnect();
  }

  const consumer = client().consumer({ groupId: GROUP });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
    const got = await within(new Promise<string>((ok) => {
      void consumer.run({ autoCommit: true, eachMessage: async ({ message }) => ok(message.value?.toString() ?? "") });
    }), 60_000, "consume first message");
    expect(got).toBe("hello");
  } finally {
    await consumer.disconnect(); // commits the resolved offset on the way out
  }
}, T);

test("topic, data and committed offset survive a broker restart", async () => {
  await broker!.stop();
  broker = await startKafka({ port, controllerPort, dataDir });

  const admin = client().admin();
  await admin.connect();
  try {
    expect(await admin.listTopics()).toContain(TOPIC);
    const [offsets] = await eventually(() => admin.fetchOffsets({ groupId: GROUP, topics: [TOPIC] }));
    expect(offsets?.partitions).toEqual([expect.objectContaining({ partition: 0, offset: "1" })]);
    const topicOffsets = await eventually(() => admin.fetchTopicOffsets(TOPIC));
    expect(topicOffsets).toEqual([expect.objectContaining({ partition: 0, low: "0", high: "1" })]);
  } finally {
    await admin.disconnect();
  }

  // The group resumes after the committed message: it sees only the new one.
  const producer = client().producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  await producer.send({ topic: TOPIC, acks: -1, messages: [{ key: "o-2", value: "after-restart" }] });
  await producer.disconnect();
  const consumer = client().consumer({ groupId: GROUP });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
    const got = await within(new Promise<string>((ok) => {
      void consumer.run({ eachMessage: async ({ message }) => ok(message.value?.toString() ?? "") });
    }), 60_000, "consume after restart");
    expect(got).toBe("after-restart");
  } finally {
    await consumer.disconnect();
  }
}, T);
