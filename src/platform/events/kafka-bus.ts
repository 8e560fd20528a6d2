import { Kafka, logLevel, type Admin, type Consumer, type Producer } from "kafkajs";
import type { Logger } from "../logger";
import { kafkaPublishErrors } from "../observability/metrics";
import { traceEvent } from "../observability/tracing";
import { wants, type DomainEvent, type EventBus, type Subscription } from "./event";
import { topicFor } from "./topics";
import { writesOnDisk } from "../db/group-commit";
import { PacedOffsetCommits } from "./paced-offset-commits";

export interface KafkaBusOptions {
  brokers: string[];
  clientId: string;
  /** Aggregate types whose topics this process makes sure exist. */
  topics: string[];
  log: Logger;
  /** How long one publish may take before the relay counts it as failed and backs off. */
  publishTimeoutMs?: number;
  /** See EventBus.busyPublishIntervalMs (default 100 ms, KAFKA_PUBLISH_INTERVAL_MS: bench/README.md has what 10, 25, 100 and 250 ms cost). */
  busyPublishIntervalMs?: number;
  /** A consumer commits its handled offsets at most this often (default 200 ms), and when it stops. */
  commitIntervalMs?: number;
}


/**
 * The split-mode bus. Publishing: an idempotent producer, one topic per aggregate type, the
 * aggregate id as key (an order's events stay in order on one partition), the event id as a
 * header. Consuming: one consumer group per subscription, offsets committed only after the
 * handler succeeded; handlers skip event ids they already handled. Kafka being down never
 * stops the service: publishing fails fast (the outbox keeps the events), consumers reconnect.
 */
export class KafkaBus implements EventBus {
  readonly name = "kafka";
  readonly busyPublishIntervalMs: number;
  private readonly kafka: Kafka;
  private producer: Producer;
  private readonly consumers: Array<{ consumer: Consumer; commits: PacedOffsetCommits }> = [];
  private readonly subscriptions: Subscription[] = [];
  private producerReady: Promise<void> | undefined;
  private topicsReady: Promise<void> | undefined;
  private stopped = false;
  /** Offset commit requests sent by this process's consumers (at most one per commitIntervalMs each). */
  offsetCommits = 0;

  constructor(private readonly opts: KafkaBusOptions) {
    this.busyPublishIntervalMs = opts.busyPublishIntervalMs ?? 100;
    this.kafka = new Kafka({
      clientId: opts.clientId,
      brokers: opts.brokers,
      connectionTimeout: 3000,
      requestTimeout: 10_000,
      logLevel: logLevel.NOTHING,
      retry: { retries: 3, initialRetryTime: 200, maxRetryTime: 2000 },
    });
    this.producer = this.newProducer();
  }

  private newProducer(): Producer {
    return this.kafka.producer({ idempotent: true, maxInFlightRequests: 1, retry: { retries: 3, maxRetryTime: 2000 } });
  }

  subscribe(subscription: Subscription): void {
    this.subscriptions.push(subscription);
  }

  async publish(events: DomainEvent[]): Promise<void> {
    try {
      await withTimeout(this.publishNow(events), this.opts.publishTimeoutMs ?? 8000, "Kafka publish timed out");
    } catch (error) {
      kafkaPublishErrors.inc();
      // A producer that failed may still be retrying in the background, and its idempotence
      // sequence is then unknown: start over with a fresh one (consumers skip any duplicate).
      const failed = this.producer;
      this.producer = this.newProducer();
      this.producerReady = undefined;
      void failed.disconnect().catch(() => undefined);
      throw error;
    }
  }

  /** Connects in the background: a broker that is down at start must not keep the service down. */
  async start(): Promise<void> {
    void this.ensureTopics().catch(() => undefined);
    for (const sub of this.subscriptions) void this.runConsumer(sub);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    // What the consumers handled last is committed before they leave, so their successors start after it.
    await Promise.allSettled(this.consumers.map((c) => c.commits.flush()));
    await Promise.allSettled([this.producer.disconnect(), ...this.consumers.map((c) => c.consumer.disconnect())]);
  }

  private async publishNow(events: DomainEvent[]) {
    this.producerReady ??= this.ensureTopics().then(() => this.producer.connect());
    await this.producerReady;
    const byTopic = new Map<string, DomainEvent[]>();
    for (const e of events) {
      const topic = topicFor(e.aggregateType);
      const list = byTopic.get(topic);
      if (list) list.push(e);
      else byTopic.set(topic, [e]);
    }
    await this.producer.sendBatch({
      acks: -1,
      topicMessages: [...byTopic].map(([topic, list]) => ({
        topic,
        messages: list.map((e) => ({
          key: e.aggregateId,
          value: JSON.stringify(e),
          headers: { "event-id": e.id, "event-type": e.type, ...(e.traceparent ? { traceparent: e.traceparent } : {}) },
        })),
      })),
    });
  }

  /** Creates missing topics once; retried until it succeeds. */
  private ensureTopics(): Promise<void> {
    this.topicsReady ??= (async () => {
      const admin: Admin = this.kafka.admin();
      try {
        await admin.connect();
        const existing = new Set(await admin.listTopics());
        const missing = this.opts.topics.map(topicFor).filter((t) => !existing.has(t));
        if (missing.length) {
          await admin.createTopics({ waitForLeaders: true, topics: missing.map((topic) => ({ topic, numPartitions: 3, replicationFactor: 1 })) });
          this.opts.log.info("kafka topics created", { topics: missing });
        }
      } finally {
        await admin.disconnect().catch(() => undefined);
      }
    })().catch((error) => {
      this.topicsReady = undefined;
      throw error;
    });
    return this.topicsReady;
  }

  /**
   * A group that starts "from now" gets its position committed at the current end of every
   * partition before it joins. Otherwise a partition it has not read yet would jump to the end
   * again after a broker outage, skipping whatever was published meanwhile.
   */
  private async pinToEnd(groupId: string, topics: string[]): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      for (const topic of topics) {
        const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
        const unset = new Set(committed?.partitions.filter((p) => p.offset === "-1").map((p) => p.partition));
        if (unset.size === 0) continue;
        const ends = await admin.fetchTopicOffsets(topic);
        const partitions = ends.filter((p) => unset.has(p.partition)).map((p) => ({ partition: p.partition, offset: p.high }));
        await admin.setOffsets({ groupId, topic, partitions });
      }
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  private async runConsumer(sub: Subscription): Promise<void> {
    const topics = sub.aggregateTypes.map(topicFor);
    let warned = false;
    while (!this.stopped) {
      const consumer = this.kafka.consumer({ groupId: sub.group, retry: { retries: 5, initialRetryTime: 300 }, sessionTimeout: 10_000, heartbeatInterval: 1000, maxWaitTimeInMs: 1000 });
      try {
        await this.ensureTopics();
        if (sub.fromBeginning === false) await this.pinToEnd(sub.group, topics);
        await consumer.connect();
        await consumer.subscribe({ topics, fromBeginning: sub.fromBeginning ?? true });
        const commits = new PacedOffsetCommits(
          async (offsets) => {
            this.offsetCommits++;
            await consumer.commitOffsets(offsets);
          },
          this.opts.commitIntervalMs ?? 200,
          (error) => this.opts.log.warn("kafka offset commit failed; those events will be delivered again", { group: sub.group, err: error }),
        );
        // A rebalance may have given the partitions to another member, which reads on from the last commit.
        consumer.on(consumer.events.GROUP_JOIN, () => commits.drop());
        this.consumers.push({ consumer, commits });
        // kafkajs restarts a consumer after retriable failures only; a broker that stays away
        // long enough crashes it for good, so start a fresh one.
        consumer.on(consumer.events.CRASH, ({ payload }) => {
          if (payload.restart || this.stopped) return;
          this.opts.log.warn("kafka consumer crashed; restarting it", { group: sub.group, err: payload.error });
          this.consumers.splice(this.consumers.findIndex((c) => c.consumer === consumer), 1);
          commits.drop();
          void consumer.disconnect().catch(() => undefined).finally(() => setTimeout(() => void this.runConsumer(sub), 1000));
        });
        // A batch at a time, its offset committed after its handlers, and commits paced (one request
        // per commitIntervalMs at most; per message, the commits were most of the broker's and the
        // consumers' CPU in split mode). A handler that throws ends the batch: what it handled
        // before is committed, the rest is fetched again after kafkajs's backoff.
        await consumer.run({
          autoCommit: false,
          eachBatchAutoResolve: false,
          eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
            let last: string | undefined;
            try {
              for (const message of batch.messages) {
                if (!isRunning() || isStale()) break;
                const event = parseEvent(message.value);
                // Not one of our events: retrying can never succeed, and it would block the partition.
                if (!event) this.opts.log.error("skipping a message that is not an event", { topic: batch.topic, partition: batch.partition, offset: message.offset, group: sub.group });
                // Throws: not committed, redelivered after a backoff.
                else if (wants(sub, event)) await traceEvent(`consume ${event.type} (${sub.group})`, event.traceparent, () => sub.handle(event));
                resolveOffset(message.offset);
                last = message.offset;
                await heartbeat(); // kafkajs sends one only when heartbeatInterval has passed
              }
            } finally {
              if (last !== undefined) {
                await writesOnDisk(); // the handlers' writes commit before the offset says they happened
                await commits.add({ topic: batch.topic, partition: batch.partition, offset: (BigInt(last) + 1n).toString() });
              }
            }
          },
        });
        this.opts.log.info("kafka consumer running", { group: sub.group, topics });
        return;
      } catch (error) {
        if (!warned) this.opts.log.warn("kafka consumer cannot start yet; retrying", { group: sub.group, err: error });
        warned = true;
        await consumer.disconnect().catch(() => undefined);
        await Bun.sleep(1000);
      }
    }
  }
}

function parseEvent(value: Buffer | null): DomainEvent | null {
  try {
    const event = JSON.parse(value?.toString() ?? "") as DomainEvent;
    return typeof event?.id === "string" && typeof event.type === "string" && typeof event.aggregateType === "string" ? event : null;
  } catch {
    return null;
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout>;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(message)), ms);
    }),
  ]);
}
