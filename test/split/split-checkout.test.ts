import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startKafkaOnFreePorts, type KafkaBroker } from "../../scripts/kafka/broker";
import { runCheckoutScenario } from "../scenarios/checkout-scenario";
import { tempDir } from "../support/processes";
import { idleWakeupsPerSecond } from "../support/idle-wakeups";
import { eventually } from "../support/sse";
import { SplitShop } from "../support/split-shop";
import { engines } from "../support/engines";

// The same scenario as the all-in-one test, against four services and the gateway, with events
// through a real Kafka broker.

for (const engine of engines()) {
  describe(`on ${engine.name}`, () => {
    let kafka: KafkaBroker;
    let split: SplitShop;
    beforeAll(async () => {
      kafka = await startKafkaOnFreePorts({ dataDir: tempDir("kafka-") });
      split = await new SplitShop({ ...(await engine.env("split_flow")), KAFKA_BROKERS: kafka.brokers }).start();
    }, engine.setupTimeoutMs + 120_000);
    afterAll(async () => {
      await split?.stop();
      await kafka?.stop();
    }, 60_000);

    test("split mode with Kafka: the whole shopping flow gives the same results", async () => {
      const result = await runCheckoutScenario(split.url, { eventually: (check) => eventually(check, 20_000) });
      expect(result.paidOrderId).toBeString();
    }, 90_000);

    // kafkajs 2.2.4 ran a 1 ms timer loop on every broker connection (~1,000 wake-ups a second in each
    // consuming service, most of its idle CPU) until patches/kafkajs@2.2.4.patch; see test/kafka/request-queue-idle.test.ts.
    // What remains is 15-60 a second: kafkajs checks each connection's requests for timeouts every 100 ms.
    test("idle after the flow, no process of the split shop wakes more than 200 times a second", async () => {
      await Bun.sleep(3000); // the flow's events and timers settle
      const pids = Object.fromEntries([...split.procs].map(([name, proc]) => [name, proc.proc.pid]));
      const wakeups = await idleWakeupsPerSecond(pids);
      expect(Object.entries(wakeups).filter(([, perSecond]) => perSecond >= 200)).toEqual([]);
    }, 30_000);
  });
}
