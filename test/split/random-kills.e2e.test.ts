// Services SIGKILLed at random under load, each started again on its own port and data a moment
// later, while customers shop and check out. Half of them retry as a client should (on a 5xx, a 202
// or a dropped connection: the same request again, the same Idempotency-Key for a checkout); the
// other half give up on a checkout that was not answered, leaving it to the order module's sweeps,
// which must find out from the payment module whether it was charged. Whatever died when,
// afterwards: no order is left PENDING, stock + sold = initial for every product, each PAID order
// has one capture of its total and no other order keeps one, every 201 is a PAID order, and no two
// keys share an order. SQLite with one process per service (the gateway killed too), and PostgreSQL
// with two replicas of every service. CHAOS_SEED replays one schedule of kills.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startKafkaOnFreePorts, type KafkaBroker } from "../../scripts/kafka/broker";
import type { Api, ApiResponse } from "../support/http-client";
import { freshModuleDatabases, POSTGRES_START_TIMEOUT_MS } from "../support/postgres";
import { tempDir } from "../support/processes";
import { CARDS, Shop } from "../support/shop";
import { eventually } from "../support/sse";
import { SplitShop, type InstanceName } from "../support/split-shop";

const LOAD_SECONDS = 45;
const CUSTOMERS = 12;
const PAUSE_MS = 200; // between a customer's checkouts: load all through the kills, a few thousand orders to check after
const INITIAL_STOCK = 5_000; // per product: every checkout finds stock
/** How long a client keeps retrying one request: longer than a killed service takes to start again on a busy machine. */
const RETRY_FOR_MS = 45_000;
const SETTINGS = {
  // A customer here declines a card every seventh checkout, more than a real shop allows.
  THROTTLE_DECLINED_PER_ACCOUNT: "1000/3600",
  THROTTLE_DECLINED_PER_ADDRESS: "1000/3600",
  // Checkouts a client gave up on are settled within seconds, not minutes, of the last touch.
  CHECKOUT_SWEEP_EVERY_MS: "2000",
  CHECKOUT_SWEEP_AFTER_MS: "3000",
};

const seed = Number(process.env.CHAOS_SEED ?? Date.now() % 1_000_000);
/** mulberry32: a small seeded generator, so a failing schedule can be run again. */
function random(state: number): () => number {
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An answer a client would retry: none (the connection dropped), a 5xx, or a 202 (still running). */
const retryable = (r: ApiResponse | undefined) => !r || r.status >= 500 || r.status === 202;

async function asAClientWould(send: () => Promise<ApiResponse>, patient = true): Promise<ApiResponse | undefined> {
  if (!patient) return send().catch(() => undefined);
  const until = Date.now() + RETRY_FOR_MS;
  let last: ApiResponse | undefined;
  for (let attempt = 0; attempt < 200; attempt++) {
    last = await send().catch(() => undefined);
    if (!retryable(last) || Date.now() > until) return last;
    await Bun.sleep(250);
  }
  return last;
}

interface Outcome {
  status: number | undefined;
  /** The error's code, or the order's status. */
  said?: string;
  orderId?: string;
}

/** Customers shop while `victims` are killed and restarted at random; returns what they were answered. */
async function shopWhileKilling(split: SplitShop, shop: Shop, products: string[], victims: InstanceName[]) {
  const customers: Api[] = [];
  for (let i = 0; i < CUSTOMERS; i++) customers.push(await shop.anon.newCustomer("chaos"));
  const next = random(seed);
  const deadline = Date.now() + LOAD_SECONDS * 1000;
  const outcomes: Outcome[] = [];
  const unexpected: string[] = [];
  const note = (what: string, r: ApiResponse | undefined) => unexpected.push(`${what}: ${r ? `${r.status} ${JSON.stringify(r.body).slice(0, 200)}` : "no answer"}`);

  const customer = async (c: Api, n: number) => {
    const patient = n % 2 === 0;
    for (let round = 0; round < 1_000 && Date.now() < deadline; round++, await Bun.sleep(PAUSE_MS)) {
      const cleared = await asAClientWould(() => c.delete("/api/cart"));
      if (cleared?.status !== 204) note("empty the cart", cleared);
      // One line, or two (quantities 1 and 2), of the products in turn.
      for (let line = 0; line <= round % 2; line++) {
        const added = await asAClientWould(() => c.post("/api/cart/items", { productId: products[(n + round + line) % products.length], quantity: 1 + line }));
        if (added?.status !== 201 && added?.body?.error?.code !== "INSUFFICIENT_STOCK") note("add to cart", added);
      }
      const key = crypto.randomUUID();
      const card = round % 7 === 3 ? CARDS.declined : CARDS.ok;
      const res = await asAClientWould(() => c.post("/api/orders", { cardNumber: card }, { "idempotency-key": key }), patient);
      outcomes.push({ status: res?.status, said: res?.body?.error?.code ?? res?.body?.status, orderId: res?.body?.id });
      // A patient client ends with the checkout's outcome; one that gave up may also hold a 202, a 503 or nothing.
      const documented = patient ? [201, 402, 409] : [201, 202, 402, 409, 503];
      if (res ? !documented.includes(res.status) : patient) note("check out", res);
    }
  };

  let kills = 0;
  const killer = async () => {
    for (let i = 0; i < 100 && Date.now() < deadline - 3_000; i++) {
      await Bun.sleep(1_000 + next() * 1_500);
      const name = victims[Math.floor(next() * victims.length)]!;
      await split.killOne(name);
      kills++;
      await Bun.sleep(300 + next() * 1_000); // down for a moment: its callers see refused connections
      await split.startOne(name);
    }
  };
  await Promise.all([killer(), ...customers.map(customer)]);
  return { outcomes, unexpected, kills };
}

/** What must hold after any schedule of kills; the list of what does not. */
async function brokenPromises(shop: Shop, products: string[], outcomes: Outcome[]): Promise<string[]> {
  let orders: any[] = [];
  await eventually(async () => {
    orders = (await shop.allOrders()).filter((o) => o.items.some((l: { productId: string }) => products.includes(l.productId)));
    expect(orders.filter((o) => o.status === "PENDING").map((o) => o.id)).toEqual([]); // recovery settled every checkout a kill cut short
  }, 120_000);
  const broken: string[] = [];
  for (const productId of products) {
    const sold = orders
      .filter((o) => o.status === "PAID")
      .flatMap((o) => o.items)
      .filter((l: { productId: string }) => l.productId === productId)
      .reduce((n: number, l: { quantity: number }) => n + l.quantity, 0);
    const stock = await shop.stock(productId);
    if (stock + sold !== INITIAL_STOCK) broken.push(`product ${productId}: stock ${stock} + sold ${sold} is not ${INITIAL_STOCK}`);
  }
  for (let i = 0; i < orders.length; i += 16) {
    await Promise.all(orders.slice(i, i + 16).map(async (order) => {
      const captured = (await shop.payments(order.id)).filter((p) => p.status === "CAPTURED").map((p) => p.amountCents);
      const expected = order.status === "PAID" ? [order.totalCents] : [];
      if (JSON.stringify(captured) !== JSON.stringify(expected)) broken.push(`order ${order.id} (${order.status}, ${order.totalCents}): captured ${JSON.stringify(captured)}`);
    }));
  }
  const status = new Map(orders.map((o) => [o.id, o.status]));
  for (const o of outcomes) if (o.status === 201 && status.get(o.orderId) !== "PAID") broken.push(`answered 201 for ${o.orderId}, which is ${status.get(o.orderId)}`);
  const answered = outcomes.flatMap((o) => (o.orderId ? [o.orderId] : []));
  if (new Set(answered).size !== answered.length) broken.push("two checkout keys were answered with one order");
  return broken;
}

/** How many checkouts got each answer, e.g. {"201 PAID": 980, "503 DEPENDENCY_UNAVAILABLE": 40}. */
const tally = (outcomes: Outcome[]) => {
  const counts: Record<string, number> = {};
  for (const { status, said } of outcomes) {
    const answer = `${status ?? "no answer"} ${said ?? ""}`.trim();
    counts[answer] = (counts[answer] ?? 0) + 1;
  }
  return JSON.stringify(counts);
};

describe("services killed at random under load", () => {
  let kafka: KafkaBroker;
  beforeAll(async () => {
    kafka = await startKafkaOnFreePorts({ dataDir: tempDir("kafka-") });
  }, 180_000);
  afterAll(async () => {
    await kafka?.stop();
  }, 60_000);

  // With one process per service, a kill is an outage its callers ride out; with two, the other
  // replica takes over (the gateway stays one process, and is killed in the first case).
  const cases = [
    { name: "SQLite, one process per service, the gateway too", replicas: 1, killGateway: true },
    { name: "PostgreSQL, two replicas of every service", replicas: 2, killGateway: false },
  ];
  for (const { name, replicas, killGateway } of cases) {
    test(name, async () => {
      const databases = replicas > 1 ? await freshModuleDatabases("random_kills") : {};
      const split = await new SplitShop({ ...databases, ...SETTINGS, KAFKA_BROKERS: kafka.brokers }, undefined, { replicas }).start();
      try {
        const shop = await Shop.connect(split.url);
        const products = await Promise.all([1000, 1500, 700, 2500].map((price, i) => shop.product(INITIAL_STOCK, price, `Chaos ${i}`)));
        const victims = (["catalog", "cart", "order", "payment", "gateway"] as const).flatMap((s) => split.instancesOf(s)).filter((n) => killGateway || n !== "gateway");
        const { outcomes, unexpected, kills } = await shopWhileKilling(split, shop, products, victims);
        console.log(`random kills (seed ${seed}, ${name}): ${kills} kills, ${outcomes.length} checkouts answered ${tally(outcomes)}`);
        expect(kills).toBeGreaterThanOrEqual(4);
        expect(outcomes.filter((o) => o.status === 201).length).toBeGreaterThan(CUSTOMERS); // the shop kept selling
        expect(unexpected).toEqual([]); // every request ended in a documented answer once its client retried
        expect(await brokenPromises(shop, products, outcomes)).toEqual([]);
      } finally {
        await split.stop();
      }
    }, (replicas > 1 ? POSTGRES_START_TIMEOUT_MS : 0) + 420_000);
  }
});
