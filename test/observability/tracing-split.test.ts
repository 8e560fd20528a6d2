import { afterAll, beforeAll, expect, test } from "bun:test";
import { startKafkaOnFreePorts, type KafkaBroker } from "../../scripts/kafka/broker";
import { DEMO } from "../support/http-client";
import { tempDir } from "../support/processes";
import { CARDS, Shop } from "../support/shop";
import { eventually } from "../support/sse";
import { SplitShop } from "../support/split-shop";

// A real OTLP/HTTP receiver on loopback: every service exports its spans here.
const spans: Array<{ service: string; traceId: string; name: string; kind: number }> = [];
const collector = Bun.serve({
  port: 0,
  hostname: "127.0.0.1",
  async fetch(request) {
    const body = (await request.json()) as any;
    for (const rs of body.resourceSpans ?? []) {
      const service = rs.resource.attributes.find((a: any) => a.key === "service.name")?.value.stringValue;
      for (const ss of rs.scopeSpans ?? []) for (const s of ss.spans ?? []) spans.push({ service, traceId: s.traceId, name: s.name, kind: s.kind });
    }
    return Response.json({});
  },
});

let kafka: KafkaBroker;
let split: SplitShop;
beforeAll(async () => {
  kafka = await startKafkaOnFreePorts({ dataDir: tempDir("kafka-trace-") });
  split = await new SplitShop({
    KAFKA_BROKERS: kafka.brokers,
    SEED_CATALOG: "false",
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${collector.port}`,
    OTEL_BSP_SCHEDULE_DELAY: "200",
  }).start();
}, 120_000);
afterAll(async () => {
  await split?.stop();
  await kafka?.stop();
  collector.stop(true);
}, 60_000);

test("one checkout in split mode carries one trace id through the gateway, all four services and Kafka", async () => {
  const shop = await Shop.connect(split.url);
  const alice = await shop.anon.login("alice", DEMO.alice);
  await shop.addToCart(alice, await shop.product(5), 1);

  const traceId = crypto.randomUUID().replace(/-/g, "");
  const traceparent = `00-${traceId}-${"a1b2c3d4e5f60718"}-01`;
  const res = await alice.post("/api/orders", { cardNumber: CARDS.ok }, { "idempotency-key": crypto.randomUUID(), traceparent });
  expect(res.status).toBe(201);
  expect(res.headers.get("traceparent")).toStartWith(`00-${traceId}-`);

  await eventually(async () => {
    const services = new Set(spans.filter((s) => s.traceId === traceId).map((s) => s.service));
    expect([...services].sort()).toEqual(["shop-cart", "shop-catalog", "shop-gateway", "shop-order", "shop-payment"]);
    // The cart removed the paid lines in a consumer span of the same trace, after the Kafka hop.
    expect(spans.some((s) => s.traceId === traceId && s.service === "shop-cart" && s.name === "consume order.paid (cart)")).toBe(true);
  }, 30_000);
}, 60_000);
