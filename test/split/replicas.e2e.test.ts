import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startKafkaOnFreePorts, type KafkaBroker } from "../../scripts/kafka/broker";
import { runCheckoutScenario } from "../scenarios/checkout-scenario";
import { DEMO, type Api, type ApiResponse } from "../support/http-client";
import { freshModuleDatabases, POSTGRES_START_TIMEOUT_MS } from "../support/postgres";
import { tempDir } from "../support/processes";
import { Shop } from "../support/shop";
import { eventually, SseRecorder } from "../support/sse";
import { SplitShop, type InstanceName } from "../support/split-shop";

// Split mode with two replicas of every service on one PostgreSQL database and a real Kafka broker,
// the gateway listing both of each: nothing lost, doubled or oversold, and a replica SIGKILLed under
// load has its checkouts settled by the other.

/** The checkout requests (POST /api/orders) a process answered, whatever the answer (its http_requests_total). */
async function checkoutsCounted(split: SplitShop, name: InstanceName): Promise<number> {
  const text = await (await fetch(`${split.urlOf(name)}/metrics`, { signal: AbortSignal.timeout(5_000) })).text();
  return text
    .split("\n")
    .filter((line) => line.startsWith("http_requests_total{") && line.includes('method="POST"') && /route="\/api\/orders\/?"/.test(line))
    .reduce((sum, line) => sum + Number(line.split(" ").at(-1)), 0);
}

/** A live order stream through the gateway, as the dashboard opens it: when it connected, and when it ended. */
function liveStream(url: string) {
  const abort = new AbortController();
  const connected = Promise.withResolvers<void>();
  const ended = (async () => {
    const res = await fetch(url, { signal: abort.signal });
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    for (let text = ""; ; ) {
      const { done, value } = await reader.read();
      if (done) return;
      text += value;
      if (text.includes(": connected")) connected.resolve();
    }
  })().catch(() => undefined);
  return { connected: connected.promise, ended, close: () => abort.abort() };
}

const within = <T>(ms: number, what: string, promise: Promise<T>) =>
  Promise.race([promise, Bun.sleep(ms).then(() => Promise.reject(new Error(`${what}: not within ${ms} ms`)))]);

async function customers(shop: Shop, count: number, productId: string): Promise<Api[]> {
  const all: Api[] = [];
  for (let i = 0; i < count; i++) all.push(await shop.anon.newCustomer("replica"));
  for (const c of all) await shop.addToCart(c, productId, 1);
  return all;
}

describe("two replicas of every service, on PostgreSQL and Kafka", () => {
  let kafka: KafkaBroker;
  let split: SplitShop;
  let shop: Shop;
  beforeAll(async () => {
    kafka = await startKafkaOnFreePorts({ dataDir: tempDir("kafka-") });
    const databases = await freshModuleDatabases("replicas");
    split = await new SplitShop({ ...databases, KAFKA_BROKERS: kafka.brokers }, undefined, { replicas: 2 }).start();
    shop = await Shop.connect(split.url);
  }, POSTGRES_START_TIMEOUT_MS + 180_000);
  afterAll(async () => {
    await split?.stop();
    await kafka?.stop();
  }, 60_000);

  test("the checkout scenario", async () => {
    const result = await runCheckoutScenario(split.url, { eventually: (check) => eventually(check, 20_000) });
    expect(result.paidOrderId).toBeString();
  }, 120_000);

  test("40 buyers for 10 units over both order replicas: exactly 10 paid, 10 charges, stock 0", async () => {
    const productId = await shop.product(10, 500, "Two-replica limited");
    const buyers = await customers(shop, 40, productId);
    const before = await Promise.all(split.instancesOf("order").map((n) => checkoutsCounted(split, n)));

    const results = await Promise.all(buyers.map((c) => shop.checkout(c)));
    const paid = results.filter((r) => r.status === 201 && r.body.status === "PAID");
    const soldOut = results.filter((r) => r.status === 409 && r.body.status === "CANCELLED");
    expect({ paid: paid.length, soldOut: soldOut.length }).toEqual({ paid: 10, soldOut: 30 });
    expect(await shop.stock(productId)).toBe(0);

    const after = await Promise.all(split.instancesOf("order").map((n) => checkoutsCounted(split, n)));
    const perReplica = after.map((n, i) => n - before[i]!);
    expect(perReplica.reduce((a, b) => a + b)).toBe(40);
    expect(Math.min(...perReplica)).toBeGreaterThan(0); // both replicas ran checkouts

    const captured = (await Promise.all(results.map((r) => shop.payments(r.body.id)))).flat().filter((p) => p.status === "CAPTURED");
    expect(captured.length).toBe(10);
    expect(new Set(captured.map((p) => p.orderId))).toEqual(new Set(paid.map((r) => r.body.id)));
  }, 180_000);

  test("20 retries of one checkout with one Idempotency-Key over both replicas: one order, one charge, one answer", async () => {
    const productId = await shop.product(5, 700, "Retried");
    const [buyer] = await customers(shop, 1, productId);
    const key = crypto.randomUUID();
    const before = await Promise.all(split.instancesOf("order").map((n) => checkoutsCounted(split, n)));

    const results = await Promise.all(Array.from({ length: 20 }, () => shop.checkout(buyer!, undefined, key)));
    const answers = new Set(results.map((r) => `${r.status} ${r.body.status} ${r.body.id}`));
    expect([...answers]).toEqual([`201 PAID ${results[0]!.body.id}`]);

    const orders = (await shop.allOrders()).filter((o) => o.userId === results[0]!.body.userId);
    expect(orders.length).toBe(1);
    expect((await shop.payments(results[0]!.body.id)).filter((p) => p.status === "CAPTURED").length).toBe(1);
    expect(await shop.stock(productId)).toBe(4);

    // The requests went to both replicas.
    const after = await Promise.all(split.instancesOf("order").map((n) => checkoutsCounted(split, n)));
    const perReplica = after.map((n, i) => n - before[i]!);
    expect(perReplica.reduce((a, b) => a + b)).toBe(20);
    expect(Math.min(...perReplica)).toBeGreaterThan(0);
  }, 120_000);

  test("SIGKILL of one order replica under load: every order settled once by the other, stock + sold = initial", async () => {
    const initial = 100;
    const productId = await shop.product(initial, 300, "Under load");
    const buyers = await customers(shop, 30, productId);

    // Each buyer checks out as a client should: on a 503 or a 202 it retries with the same key, a bounded number of times.
    const buy = async (buyer: Api, index: number): Promise<ApiResponse> => {
      await Bun.sleep(index * 40); // spread over ~1.2 s, so that the kill lands mid-stream
      const key = crypto.randomUUID();
      let res = await shop.checkout(buyer, undefined, key);
      for (let attempt = 0; attempt < 8 && (res.status === 503 || res.status === 202); attempt++) {
        await Bun.sleep(500);
        res = await shop.checkout(buyer, undefined, key);
      }
      return res;
    };
    // Two dashboards: the gateway puts one live stream on each order replica (round robin).
    const token = (await shop.anon.post("/api/auth/token", { username: "ops", password: DEMO.ops })).body.token;
    const streamUrl = `${split.url}/api/orders/stream?access_token=${token}`;
    const streams = [liveStream(streamUrl), liveStream(streamUrl)];
    await within(15_000, "both streams connected", Promise.all(streams.map((s) => s.connected)));

    const running = Promise.all(buyers.map(buy));
    await Bun.sleep(500);
    const servedBeforeKill = await checkoutsCounted(split, "order-2");
    await split.killOne("order-2");

    // The stream on the dead replica ends (the dashboard's EventSource then reconnects); the other stays.
    const first = await within(15_000, "a stream ended", Promise.race(streams.map((s, i) => s.ended.then(() => i))));
    const survivor = streams[1 - first]!;
    expect(await Promise.race([survivor.ended.then(() => "ended"), Bun.sleep(1_000).then(() => "open")])).toBe("open");
    const reconnected = new SseRecorder(streamUrl);
    await within(15_000, "the reconnected stream", reconnected.connected);

    const results = await running;
    expect(servedBeforeKill).toBeGreaterThan(0); // it was taking checkouts when it died

    expect(results.map((r) => r.status).filter((s) => s !== 201)).toEqual([]);
    let orders: any[] = [];
    await eventually(async () => {
      orders = (await shop.allOrders()).filter((o) => o.items.some((l: { productId: string }) => l.productId === productId));
      expect(orders.filter((o) => o.status === "PENDING")).toEqual([]);
    }, 60_000);
    expect(orders.length).toBe(30); // one order per buyer, none doubled
    const paid = orders.filter((o) => o.status === "PAID");
    expect(paid.length).toBe(30);
    expect(await shop.stock(productId)).toBe(initial - paid.length);
    for (const order of orders) {
      const captured = (await shop.payments(order.id)).filter((p) => p.status === "CAPTURED");
      expect(captured.length).toBe(order.status === "PAID" ? 1 : 0);
    }

    // The reconnected dashboard, now on the surviving replica, sees new orders.
    const [late] = await customers(shop, 1, productId);
    const lateOrder = (await shop.checkout(late!)).body;
    await reconnected.waitFor((events) => events.some((e) => e.data.order?.id === lateOrder.id && e.data.type === "order.paid"), 30_000);
    reconnected.close();
    survivor.close();
  }, 240_000);
});
