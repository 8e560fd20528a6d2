import { afterAll, describe, expect, test } from "bun:test";
import { engines, type Engine } from "../support/engines";
import { DEMO } from "../support/http-client";
import { startEntrypoint, tempDir, type ServerProcess } from "../support/processes";
import { CARDS, Shop } from "../support/shop";
import { eventually } from "../support/sse";
import { expectCartOrderedOnce, raceCheckouts } from "../scenarios/one-checkout-per-cart";

// Kills the server (SIGKILL, no clean-up) in the middle of a checkout, restarts it on the same
// data, and checks that every order ends final with stock, payments and status agreeing.
const running: ServerProcess[] = [];
afterAll(async () => {
  for (const s of running) if (s.proc.exitCode === null) await s.kill();
}, 30_000);

/** Where a shop keeps its data across a restart: its DATA_DIR, and on PostgreSQL its databases. */
interface Place {
  dataDir: string;
  env: Record<string, string>;
}

const placeOn = async (engine: Engine): Promise<Place> => ({ dataDir: tempDir(), env: await engine.env("crash") });

async function start(place: Place, crashAt?: string, port?: number) {
  const env = { ...place.env, SEED_CATALOG: "false", ...(crashAt ? { CRASH_AT: crashAt } : {}) };
  const server = await startEntrypoint("all.ts", env, { dataDir: place.dataDir, port, readyTimeoutMs: 30_000 });
  running.push(server);
  return server;
}

/** The invariants after recovery: nothing pending, stock and payments match the orders. */
async function expectConsistent(shop: Shop, productId: string, initialStock: number) {
  let orders: any[] = [];
  for (let i = 0; i < 100; i++) {
    orders = await shop.allOrders();
    if (orders.every((o) => o.status !== "PENDING")) break;
    await Bun.sleep(100);
  }
  expect(orders.filter((o) => o.status === "PENDING")).toEqual([]);
  let sold = 0;
  for (const order of orders) {
    const payments = await shop.payments(order.id);
    const captured = payments.filter((p) => p.status === "CAPTURED");
    if (order.status === "PAID") {
      sold += order.items[0].quantity;
      expect(captured.map((p) => p.id)).toEqual([order.paymentId]);
    } else {
      // Not paid: nothing captured (a refund or a decline at most), no stock held.
      expect(captured).toEqual([]);
    }
  }
  expect(await shop.stock(productId)).toBe(initialStock - sold);
  return orders;
}

for (const engine of engines()) {
  describe(`on ${engine.name}`, () => {
    describe("a process killed mid-checkout settles every order on restart", () => {
      const points: Array<[string, string]> = [
        ["checkout.after-create", "CANCELLED"],
        ["checkout.after-reserve", "CANCELLED"],
        ["checkout.after-charge", "PAID"],
      ];
      for (const [point, expected] of points) {
        test(`killed at ${point}: the order ends ${expected}`, async () => {
          const place = await placeOn(engine);
          const first = await start(place, point);
          const shop = await Shop.connect(first.url);
          const productId = await shop.product(5);
          const alice = await shop.anon.login("alice", DEMO.alice);
          await shop.addToCart(alice, productId, 2);
          const key = crypto.randomUUID();
          await shop.checkout(alice, CARDS.ok, key).catch(() => undefined); // the connection dies with the process
          expect(await first.proc.exited).not.toBe(0);

          const second = await start(place);
          const shop2 = await Shop.connect(second.url);
          const orders = await expectConsistent(shop2, productId, 5);
          expect(orders.map((o) => o.status)).toEqual([expected]);
          if (expected === "CANCELLED") expect(orders[0].failureReason).toBe("Checkout interrupted before payment");

          // The customer's retry with the same key gets the settled order, not a second one.
          const alice2 = await shop2.anon.login("alice", DEMO.alice);
          const replay = await shop2.checkout(alice2, CARDS.ok, key);
          expect(replay.body.id).toBe(orders[0].id);
          expect((await shop2.allOrders()).length).toBe(1);
          await second.stop();
        }, engine.setupTimeoutMs + 60_000);
      }

      test("killed after the refund of a cancellation: the cancellation is finished", async () => {
        const place = await placeOn(engine);
        const first = await start(place, "cancel.after-refund");
        const shop = await Shop.connect(first.url);
        const productId = await shop.product(5);
        const alice = await shop.anon.login("alice", DEMO.alice);
        await shop.addToCart(alice, productId, 2);
        const order = (await shop.checkout(alice)).body;
        expect(order.status).toBe("PAID");
        await alice.post(`/api/orders/${order.id}/cancel`).catch(() => undefined);
        await first.proc.exited;

        const second = await start(place);
        const shop2 = await Shop.connect(second.url);
        const orders = await expectConsistent(shop2, productId, 5);
        expect(orders[0].status).toBe("CANCELLED");
        expect((await shop2.payments(order.id))[0].status).toBe("REFUNDED");
        await second.stop();
      }, engine.setupTimeoutMs + 60_000);

      test("killed at a random moment under load: all orders settle consistently", async () => {
        const place = await placeOn(engine);
        const first = await start(place);
        const shop = await Shop.connect(first.url);
        const productId = await shop.product(15);
        const customers = await Promise.all(Array.from({ length: 25 }, () => shop.anon.newCustomer("load")));
        for (const c of customers) await shop.addToCart(c, productId, 1);
        const inFlight = customers.map((c, i) => shop.checkout(c, i % 5 === 0 ? CARDS.declined : CARDS.ok).catch(() => undefined));
        await Bun.sleep(15 + Math.random() * 30);
        await first.kill();
        await Promise.all(inFlight);

        const second = await start(place);
        const shop2 = await Shop.connect(second.url);
        const orders = await expectConsistent(shop2, productId, 15);
        expect(orders.filter((o) => o.status === "PAID").length).toBeLessThanOrEqual(15);
        await second.stop();
      }, engine.setupTimeoutMs + 60_000); // 25 sign-ups and sign-ins (argon2 each) and two starts: far past 5 s on a busy machine
    });

    describe("checkouts of one cart racing across a crash: the cart is ordered once, and recovery still settles everything", () => {
      for (const point of ["checkout.after-create", "checkout.after-reserve", "checkout.after-charge"]) {
        test(`4 checkouts of one cart with different keys, killed at ${point}, 4 more at once on restart`, async () => {
          const place = await placeOn(engine);
          const first = await start(place, point);
          const shop = await Shop.connect(first.url);
          const productId = await shop.product(5);
          const customer = await shop.anon.newCustomer("crash-race");
          await shop.addToCart(customer, productId, 2);
          const before = await raceCheckouts(shop, customer, 4);
          expect(before.some((a) => a?.status === 201)).toBe(false); // the process died before any answer of a paid order
          expect(await first.proc.exited).not.toBe(0);

          // Same port and data, so the customer's token and client work on: the races go on while recovery runs.
          const second = await start(place, undefined, first.port);
          await raceCheckouts(shop, customer, 4);
          await expectCartOrderedOnce(shop, customer, { id: productId, stockBefore: 5, quantity: 2 }, (check) => eventually(check, 15_000));
          await second.stop();
        }, engine.setupTimeoutMs + 60_000);
      }
    });
  });
}
