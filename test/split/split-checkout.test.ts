import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startKafkaOnFreePorts, type KafkaBroker } from "../../scripts/kafka/broker";
import { runCheckoutScenario } from "../scenarios/checkout-scenario";
import { tempDir } from "../support/processes";
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
  });
}
