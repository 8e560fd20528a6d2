import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Kafka, logLevel } from "kafkajs";
import { startKafka, startKafkaOnFreePorts, type KafkaBroker } from "../../scripts/kafka/broker";
import { DEMO } from "../support/http-client";
import { tempDir } from "../support/processes";
import { CARDS, Shop } from "../support/shop";
import { eventually, SseRecorder } from "../support/sse";
import { SplitShop } from "../support/split-shop";
import { engines } from "../support/engines";
import { expectSettled } from "../support/settled";

// Kafka goes down while orders are placed: the services keep serving, the outbox keeps the
// events, and when the broker is back every event reaches each consumer exactly once.

for (const engine of engines()) {
  describe(`on ${engine.name}`, () => {
    let kafka: KafkaBroker;
    let split: SplitShop;
    const kafkaDir = tempDir("kafka-outage-");

    beforeAll(async () => {
      kafka = await startKafkaOnFreePorts({ dataDir: kafkaDir });
      split = await new SplitShop({ ...(await engine.env("kafka_outage")), KAFKA_BROKERS: kafka.brokers, SEED_CATALOG: "false" }).start();
    }, engine.setupTimeoutMs + 120_000);
    afterAll(async () => {
      await split?.stop();
      await kafka?.stop();
    }, 60_000);

    /**
     * Order events the cart's consumer group has not yet handled: the topic's end offsets minus the
     * group's committed ones (it commits only after its handler succeeded), read from the broker.
     */
    async function cartBacklog(): Promise<number> {
      const admin = new Kafka({ clientId: "test-offsets", brokers: [kafka.brokers], logLevel: logLevel.NOTHING }).admin();
      await admin.connect();
      try {
        const ends = await admin.fetchTopicOffsets("shop.order");
        const [committed] = await admin.fetchOffsets({ groupId: "cart", topics: ["shop.order"] });
        const at = new Map(committed!.partitions.map((p) => [p.partition, Number(p.offset)]));
        return ends.reduce((sum, p) => sum + Number(p.high) - Math.max(0, at.get(p.partition) ?? 0), 0);
      } finally {
        await admin.disconnect();
      }
    }

    test("broker down: orders still succeed; broker back: every event arrives exactly once, none lost", async () => {
      const shop = await Shop.connect(split.url);
      const productId = await shop.product(50);
      const live = new SseRecorder(`${split.url}/api/orders/stream?access_token=${(await shop.anon.post("/api/auth/token", { username: "ops", password: DEMO.ops })).body.token}`);
      await live.connected;

      // Warm-up order while Kafka is up: the pipeline works end to end.
      const alice = await shop.anon.login("alice", DEMO.alice);
      await shop.addToCart(alice, productId, 1);
      const warm = (await shop.checkout(alice)).body;
      await live.waitFor((events) => events.some((e) => e.data.order.id === warm.id && e.data.type === "order.paid"), 30_000);

      await kafka.stop();

      const customers = await Promise.all(Array.from({ length: 5 }, () => shop.anon.newCustomer("outage")));
      const placed: string[] = [];
      for (const c of customers) {
        await shop.addToCart(c, productId, 2);
        const res = await shop.checkout(c, CARDS.ok);
        expect(res.status).toBe(201);
        placed.push(res.body.id);
      }
      // Nothing could be published: the dashboard saw nothing yet; the carts were emptied anyway, by
      // the checkout's own call to the cart service.
      expect(live.events.some((e) => placed.includes(e.data.order.id))).toBe(false);
      for (const c of customers) expect((await c.get("/api/cart")).body.items).toEqual([]);

      kafka = await startKafka({ port: kafka.port, controllerPort: kafka.controllerPort, dataDir: kafkaDir }); // the same address the services know

      // Every order's created and paid events reach the live feed, once each.
      await live.waitFor((events) => placed.every((id) => events.some((e) => e.data.order.id === id && e.data.type === "order.paid")), 60_000);
      for (const id of placed) {
        const types = live.events.filter((e) => e.data.order.id === id).map((e) => e.data.type);
        expect(types).toEqual(["order.created", "order.paid"]);
      }
      // And the cart's consumer group handled every order event, none lost.
      await eventually(async () => expect(await cartBacklog()).toBe(0), 30_000);

      // A duplicate delivered by Kafka (same event id) is skipped by every consumer.
      const paidEvent = live.events.find((e) => e.data.order.id === placed[0] && e.data.type === "order.paid")!;
      await shop.addToCart(customers[0]!, productId, 2); // what the customer added since must survive the duplicate
      const client = new Kafka({ clientId: "test-duplicate", brokers: [kafka.brokers], logLevel: logLevel.NOTHING });
      const producer = client.producer();
      await producer.connect();
      const original = { id: paidEvent.id, type: "order.paid", aggregateType: "order", aggregateId: placed[0], occurredAt: new Date().toISOString(), payload: { order: paidEvent.data.order, previousStatus: "PENDING" } };
      await producer.send({ topic: "shop.order", messages: [{ key: placed[0], value: JSON.stringify(original), headers: { "event-id": paidEvent.id! } }] });
      // Garbage on every partition must be skipped, not retried forever in front of real events.
      await producer.send({ topic: "shop.order", messages: [0, 1, 2].map((partition) => ({ partition, value: "not an event" })) });
      await producer.disconnect();

      // A later event proves the consumers have moved past the duplicate and the garbage.
      const bob = await shop.anon.login("bob", DEMO.bob);
      await shop.addToCart(bob, productId, 1);
      const marker = (await shop.checkout(bob)).body;
      await live.waitFor((events) => events.some((e) => e.data.order.id === marker.id && e.data.type === "order.paid"), 30_000);
      await eventually(async () => expect((await bob.get("/api/cart")).body.items).toEqual([]), 30_000);

      expect(live.events.filter((e) => e.id === paidEvent.id)).toHaveLength(1);
      // The cart's group moved past the duplicate and the garbage, and the duplicate took nothing
      // out of the cart: the order's lines had already left it once.
      await eventually(async () => expect(await cartBacklog()).toBe(0), 30_000);
      expect((await customers[0]!.get("/api/cart")).body.items[0].quantity).toBe(2);
      live.close();

      // Settled through it all: every order paid with one capture, the stock taken once per unit sold.
      const orders = await expectSettled(shop, productId, 50);
      expect(orders.map((o) => o.status)).toEqual(Array(7).fill("PAID"));
    }, 180_000);
  });
}
