// The operators' reads over real HTTP, in both modes: statistics per currency (never one sum of
// EUR and JPY), the time series, checkout failures by reason, and the order list's sorts and date
// range with keyset paging that neither skips nor repeats a row under any sort.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { CheckoutFailures, Order, OrderSeries, OrderStats } from "../../src/modules/order/contract";
import { DEMO, type Api } from "../support/http-client";
import { startEntrypoint, type ServerProcess } from "../support/processes";
import { CARDS, Shop } from "../support/shop";
import { SseRecorder, eventually } from "../support/sse";
import { SplitShop } from "../support/split-shop";
import { engines } from "../support/engines";

const MODES: Array<{ name: string; start(): Promise<{ url: string; stop(): Promise<unknown> }> }> = [
  ...engines().map((engine) => ({
    name: `all-in-one on ${engine.name}`,
    start: async () => startEntrypoint("all.ts", await engine.env("operator_queries"), { readyTimeoutMs: 30_000 }) as Promise<ServerProcess>,
  })),
  { name: "split (no broker: the order service reads its own database)", start: () => new SplitShop().start() },
];

interface Placed {
  orders: Order[];
  shop: Shop;
  ops: Api;
  alice: Api;
}

/**
 * Two EUR sales, one JPY sale, a declined card, insufficient funds and an out-of-stock checkout,
 * by the two demo customers (no registrations: the shop may throttle them per address).
 */
async function placeMixedOrders(url: string): Promise<Placed> {
  const shop = await Shop.connect(url);
  const alice = await shop.anon.login("alice", DEMO.alice);
  const bob = await shop.anon.login("bob", DEMO.bob);
  const mug = await shop.product(100, 1250, "Stats Mug");
  const yen = (await shop.ops.post("/api/products", { name: "Stats Tea", category: "test", priceCents: 1500, currency: "JPY", stock: 100 })).body.id;
  const last = await shop.product(1, 900, "Stats Last One");
  const orders: Order[] = [];
  const buy = async (customer: Api, product: string, quantity: number, card: string, status: number) => {
    await shop.addToCart(customer, product, quantity);
    const res = await shop.checkout(customer, card);
    expect(res.status).toBe(status);
    orders.push(res.body);
    if (status !== 201) expect((await customer.delete("/api/cart")).status).toBeLessThan(300); // a failed checkout leaves the cart as it was
  };
  await buy(alice, mug, 2, CARDS.ok, 201); // 25.00 EUR
  await buy(bob, mug, 1, CARDS.ok, 201); // 12.50 EUR
  await buy(alice, yen, 3, CARDS.ok, 201); // 4500 JPY
  await buy(bob, mug, 1, CARDS.declined, 402);
  await buy(alice, mug, 1, CARDS.insufficient, 402);
  await shop.addToCart(bob, last, 1); // bob hesitates...
  await buy(alice, last, 1, CARDS.ok, 201); // ...alice takes the last one
  const late = await shop.checkout(bob);
  expect(late.status).toBe(409);
  orders.push(late.body);
  return { orders, shop, ops: shop.ops, alice };
}

for (const mode of MODES) {
  describe(`operators' queries, ${mode.name}`, () => {
    let server: { url: string; stop(): Promise<unknown> };
    let placed: Placed;
    beforeAll(async () => {
      server = await mode.start();
      placed = await placeMixedOrders(server.url);
    }, 120_000);
    afterAll(async () => {
      await server?.stop();
    }, 30_000);

    test("stats: counts by status, revenue and average per currency", async () => {
      const stats = (await placed.ops.get<OrderStats>("/api/orders/stats")).body;
      expect(stats.countsByStatus).toEqual({ PENDING: 0, PAID: 4, SHIPPED: 0, DELIVERED: 0, CANCELLED: 1, PAYMENT_FAILED: 2 });
      expect(stats.totalOrders).toBe(7);
      expect(stats.ordersLastHour).toBe(7);
      expect(stats.revenueByCurrency).toEqual([
        { currency: "EUR", paidOrders: 3, revenueCents: 2500 + 1250 + 900, averageOrderValueCents: 1550 },
        { currency: "JPY", paidOrders: 1, revenueCents: 4500, averageOrderValueCents: 4500 },
      ]);
      expect(stats.lastEventId).toBeString();
      expect(stats).not.toHaveProperty("revenueCents"); // no sum across currencies anywhere
    });

    test("time series: per currency, aligned buckets, adding up to the stats", async () => {
      for (const [range, bucketSeconds, buckets] of [["hour", 60, 60], ["day", 1800, 48], ["week", 21_600, 28]] as const) {
        const res = await placed.ops.get<OrderSeries>(`/api/orders/stats/series?range=${range}`);
        expect(res.status).toBe(200);
        const series = res.body;
        expect(series).toMatchObject({ range, bucketSeconds, buckets });
        expect(Date.parse(series.from) % (bucketSeconds * 1000)).toBe(0);
        const end = Date.parse(series.from) + bucketSeconds * buckets * 1000;
        expect(end).toBeGreaterThan(Date.now() - 5_000);
        expect(series.currencies.map((c) => c.currency)).toEqual(["EUR", "JPY"]);
        const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
        const [eur, jpy] = series.currencies;
        expect(eur!.orders.length).toBe(buckets);
        expect(sum(eur!.orders)).toBe(6);
        expect(sum(eur!.revenueCents)).toBe(4650);
        expect(sum(jpy!.orders)).toBe(1);
        expect(sum(jpy!.revenueCents)).toBe(4500);
        // Every order sits in the bucket its creation time falls in.
        for (const order of placed.orders) {
          const bucket = Math.floor((Date.parse(order.createdAt) - Date.parse(series.from)) / (bucketSeconds * 1000));
          expect(series.currencies.find((c) => c.currency === order.currency)!.orders[bucket]).toBeGreaterThan(0);
        }
      }
      expect((await placed.ops.get<OrderSeries>("/api/orders/stats/series")).body.range).toBe("day");
    });

    test("checkout failures by reason; a paid order cancelled later is not one", async () => {
      const before = (await placed.ops.get<CheckoutFailures>("/api/orders/stats/failures?range=hour")).body;
      expect(before.total).toBe(3);
      expect(before.reasons).toEqual([
        { reason: "card_declined", count: 1 },
        { reason: "insufficient_funds", count: 1 },
        { reason: "out_of_stock", count: 1 },
      ]);
      const paidEur = placed.orders.find((o) => o.status === "PAID" && o.currency === "EUR" && o.totalCents === 1250)!;
      expect((await placed.ops.post(`/api/orders/${paidEur.id}/cancel`)).status).toBe(200);
      expect((await placed.ops.get<CheckoutFailures>("/api/orders/stats/failures?range=week")).body.total).toBe(3);
      const stats = (await placed.ops.get<OrderStats>("/api/orders/stats")).body;
      expect(stats.revenueByCurrency[0]).toEqual({ currency: "EUR", paidOrders: 2, revenueCents: 3400, averageOrderValueCents: 1700 });
      expect(stats.countsByStatus.CANCELLED).toBe(2);
    });

    test("operators only; bad parameters are 4xx naming the field", async () => {
      for (const path of ["/api/orders/stats", "/api/orders/stats/series", "/api/orders/stats/failures"]) {
        expect((await placed.alice.get(path)).status).toBe(403);
        expect((await placed.shop.anon.get(path)).status).toBe(401);
      }
      const bad = async (path: string, status: number, field: string) => {
        const res = await placed.ops.get(path);
        expect(res.status).toBe(status);
        expect(JSON.stringify(res.body.error)).toContain(field);
      };
      await bad("/api/orders/stats/series?range=year", 422, "range");
      await bad("/api/orders/stats/failures?range=", 422, "range");
      await bad("/api/orders?sort=price", 422, "sort");
      await bad("/api/orders?dir=up", 422, "dir");
      await bad("/api/orders?from=yesterday", 422, "from");
      await bad("/api/orders?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", 400, "from");
      const byTotal = (await placed.ops.get("/api/orders?sort=totalCents&limit=2")).body.nextCursor;
      await bad(`/api/orders?sort=status&limit=2&cursor=${byTotal}`, 400, "cursor");
      await bad(`/api/orders?sort=totalCents&dir=asc&limit=2&cursor=${byTotal}`, 400, "cursor");
      await bad("/api/orders?cursor=bm90LWpzb24", 400, "cursor");
    });

    test("the list sorts by time, total and status, both ways, and pages without gaps or repeats", async () => {
      const all = await pages(placed.ops, "");
      expect(all.length).toBe(7);
      const rank = ["PENDING", "PAID", "SHIPPED", "DELIVERED", "CANCELLED", "PAYMENT_FAILED"];
      const newest = (a: Order, b: Order) => (a.id < b.id ? 1 : -1);
      const expected: Record<string, (a: Order, b: Order) => number> = {
        "createdAt&dir=desc": newest,
        "createdAt&dir=asc": (a, b) => -newest(a, b),
        "totalCents&dir=desc": (a, b) => a.currency.localeCompare(b.currency) || b.totalCents - a.totalCents || newest(a, b),
        "totalCents&dir=asc": (a, b) => a.currency.localeCompare(b.currency) || a.totalCents - b.totalCents || newest(a, b),
        "status&dir=desc": (a, b) => rank.indexOf(b.status) - rank.indexOf(a.status) || newest(a, b),
        "status&dir=asc": (a, b) => rank.indexOf(a.status) - rank.indexOf(b.status) || newest(a, b),
      };
      for (const [sort, compare] of Object.entries(expected)) {
        for (const limit of [1, 2, 3]) {
          const got = await pages(placed.ops, `&sort=${sort}`, limit);
          expect({ sort, limit, ids: got.map((o) => o.id) }).toEqual({ sort, limit, ids: [...all].sort(compare).map((o) => o.id) });
        }
      }
      // Sorted and filtered at once: the status filter and the search still apply.
      const eurFailures = await pages(placed.ops, "&sort=totalCents&status=PAYMENT_FAILED", 1);
      expect(eurFailures.map((o) => o.status)).toEqual(["PAYMENT_FAILED", "PAYMENT_FAILED"]);
    });

    test("date range: placed at or after `from` and before `to`, paged under each sort", async () => {
      const all = await pages(placed.ops, "");
      const times = [...new Set(all.map((o) => o.createdAt))].sort();
      const from = times[1]!;
      const to = times[times.length - 2]!;
      const inside = all.filter((o) => o.createdAt >= from && o.createdAt < to).map((o) => o.id).sort();
      expect(inside.length).toBeGreaterThan(0);
      expect(inside.length).toBeLessThan(all.length);
      for (const sort of ["createdAt", "totalCents", "status"]) {
        const got = await pages(placed.ops, `&sort=${sort}&from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`, 2);
        expect(got.map((o) => o.id).sort()).toEqual(inside);
      }
      // Another offset means the same instant.
      const shifted = new Date(Date.parse(from)).toISOString().replace("Z", "+00:00");
      expect((await pages(placed.ops, `&from=${encodeURIComponent(shifted)}&to=${encodeURIComponent(to)}`)).length).toBe(inside.length);
      // A customer's list takes the same parameters and still shows only their own orders.
      const mine = await pages(placed.alice, "&sort=totalCents&dir=asc");
      const hers = all.filter((o) => o.username === "alice").sort((a, b) => a.currency.localeCompare(b.currency) || a.totalCents - b.totalCents || (a.id < b.id ? 1 : -1));
      expect(mine.map((o) => o.id)).toEqual(hers.map((o) => o.id));
      expect(hers.length).toBe(4);
    });
  });
}

/** Every page of a listing, bounded at 50 pages. */
async function pages(api: Api, params: string, limit = 100): Promise<Order[]> {
  const all: Order[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 50; page++) {
    const res: { status: number; body: { items: Order[]; nextCursor: string | null } } = await api.get(`/api/orders?limit=${limit}${params}${cursor ? `&cursor=${cursor}` : ""}`);
    expect(res.status).toBe(200);
    all.push(...res.body.items);
    cursor = res.body.nextCursor;
    if (!cursor) return all;
  }
  throw new Error("more than 50 pages");
}

test.each(engines().map((e) => [e.name, e] as const))("all-in-one on %s: the stats' lastEventId is the newest event the live stream delivered", async (_, engine) => {
  const server = await startEntrypoint("all.ts", await engine.env("last_event"), { readyTimeoutMs: 30_000 });
  try {
    const shop = await Shop.connect(server.url);
    const token = (await shop.anon.post("/api/auth/token", { username: "ops", password: DEMO.ops })).body.token;
    const stream = new SseRecorder(`${server.url}/api/orders/stream?access_token=${token}`);
    await stream.connected;
    expect((await shop.ops.get<OrderStats>("/api/orders/stats")).body.lastEventId).toBeNull();
    const product = await shop.product(10);
    const alice = await shop.anon.login("alice", DEMO.alice);
    await shop.addToCart(alice, product, 1);
    expect((await shop.checkout(alice)).status).toBe(201);
    await eventually(async () => expect(stream.events.length).toBe(2), 5_000); // created, paid
    const stats = (await shop.ops.get<OrderStats>("/api/orders/stats")).body;
    expect(stats.lastEventId).toBe(stream.events[1]!.id!);
    expect(stream.events[0]!.id! < stream.events[1]!.id!).toBe(true); // ids grow with time
    stream.close();
  } finally {
    await server.stop();
  }
}, 60_000);
