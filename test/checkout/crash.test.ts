import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startKafkaOnFreePorts, type KafkaBroker } from "../../scripts/kafka/broker";
import { engines, type Engine } from "../support/engines";
import type { Api } from "../support/http-client";
import { freePort, startEntrypoint, tempDir, type ServerProcess } from "../support/processes";
import { CARDS, Shop } from "../support/shop";
import { shopModes, type ShopMode } from "../support/shop-modes";
import { expectSettled } from "../support/settled";
import { SplitShop } from "../support/split-shop";
import { eventually } from "../support/sse";
import { expectCartOrderedOnce, raceCheckouts } from "../scenarios/one-checkout-per-cart";

// Kills the process a checkout runs in (SIGKILL, no clean-up) in the middle of it, restarts it on
// the same data, and checks that every order ends final with stock, payments and status agreeing.
// Once per engine and mode: all-in-one (the one process), and split (the order service, between
// the other services, events through a real Kafka broker; the gateway and the others run on).


/** A shop whose checkout process can be restarted at a crash point: all.ts, or the order service. */
interface CrashableShop {
  url: string;
  /** The process checkouts run in, as it is now. */
  victim(): ServerProcess;
  /** Restarts that process on the same data and port, at `crashAt` (platform/crash-points.ts) or without one. */
  restart(crashAt?: string): Promise<void>;
  stop(): Promise<void>;
  /** Split mode: the services, to kill another one than the order service. */
  services?: SplitShop;
}

async function allInOne(engine: Engine): Promise<CrashableShop> {
  const env = { ...(await engine.env("crash")), SEED_CATALOG: "false" };
  const dataDir = tempDir();
  const port = freePort();
  const start = (crashAt?: string) => startEntrypoint("all.ts", { ...env, ...(crashAt ? { CRASH_AT: crashAt } : {}) }, { dataDir, port, readyTimeoutMs: 30_000 });
  let current = await start();
  return {
    url: current.url,
    victim: () => current,
    async restart(crashAt) {
      await current.stop();
      current = await start(crashAt);
    },
    stop: async () => void (await current.stop()),
  };
}

async function split(engine: Engine): Promise<CrashableShop> {
  const kafka: KafkaBroker = await startKafkaOnFreePorts({ dataDir: tempDir("kafka-") });
  try {
    const shop = await new SplitShop({ ...(await engine.env("crash_split")), KAFKA_BROKERS: kafka.brokers, SEED_CATALOG: "false" }).start();
    return {
      url: shop.url,
      services: shop,
      victim: () => shop.procs.get("order")!,
      async restart(crashAt) {
        await shop.stopOne("order");
        await shop.startOne("order", crashAt ? { CRASH_AT: crashAt } : {});
      },
      async stop() {
        await shop.stop();
        await kafka.stop();
      },
    };
  } catch (error) {
    await kafka.stop();
    throw error;
  }
}

const MODES: Record<ShopMode, (engine: Engine) => Promise<CrashableShop>> = { "all-in-one": allInOne, split };

/** Restarts only when needed: a running process without a crash point is left as it is. */
function restartingWhenNeeded(shop: CrashableShop): CrashableShop {
  let armed: string | undefined;
  return {
    ...shop,
    async restart(crashAt) {
      const { exitCode, signalCode } = shop.victim().proc;
      if (!crashAt && !armed && exitCode === null && signalCode === null) return;
      await shop.restart(crashAt);
      armed = crashAt;
    },
  };
}

for (const engine of engines()) {
  for (const mode of shopModes()) {
    describe(`on ${engine.name}, ${mode}`, () => {
      let target: CrashableShop;
      let shop: Shop;
      beforeAll(async () => {
        target = restartingWhenNeeded(await MODES[mode](engine));
        shop = await Shop.connect(target.url);
      }, engine.setupTimeoutMs + 180_000);
      afterAll(async () => {
        await target?.stop();
      }, 60_000);

      /** A product in stock and a customer with `quantity` of it in the cart. */
      async function customerWithCart(stock: number, quantity: number): Promise<{ productId: string; customer: Api }> {
        const productId = await shop.product(stock);
        const customer = await shop.anon.newCustomer("crash");
        await shop.addToCart(customer, productId, quantity);
        return { productId, customer };
      }

      describe("the checkout's process killed mid-checkout settles every order on restart", () => {
        const points: Array<[string, string]> = [
          ["checkout.after-create", "CANCELLED"],
          ["checkout.after-reserve", "CANCELLED"],
          ["checkout.after-charge", "PAID"],
        ];
        for (const [point, expected] of points) {
          test(`killed at ${point}: the order ends ${expected}`, async () => {
            await target.restart(point);
            const { productId, customer } = await customerWithCart(5, 2);
            const key = crypto.randomUUID();
            await shop.checkout(customer, CARDS.ok, key).catch(() => undefined); // the connection dies with the process
            expect(await target.victim().proc.exited).not.toBe(0);

            await target.restart();
            const orders = await expectSettled(shop, productId, 5);
            expect(orders.map((o) => o.status)).toEqual([expected]);
            if (expected === "CANCELLED") expect(orders[0].failureReason).toBe("Checkout interrupted before payment");

            // The customer's retry with the same key gets the settled order, not a second one.
            const replay = await shop.checkout(customer, CARDS.ok, key);
            expect(replay.body.id).toBe(orders[0].id);
            // Said as what happened: interrupted, not out of stock (the product has stock).
            expect([replay.status, replay.body.error?.code]).toEqual(expected === "PAID" ? [201, undefined] : [409, "CHECKOUT_INTERRUPTED"]);
            expect((await customer.get("/api/orders")).body.items).toHaveLength(1);
          }, 120_000);
        }

        test("killed after the refund of a cancellation: the cancellation is finished", async () => {
          await target.restart("cancel.after-refund");
          const { productId, customer } = await customerWithCart(5, 2);
          const order = (await shop.checkout(customer)).body;
          expect(order.status).toBe("PAID");
          await customer.post(`/api/orders/${order.id}/cancel`).catch(() => undefined);
          expect(await target.victim().proc.exited).not.toBe(0);

          await target.restart();
          const orders = await expectSettled(shop, productId, 5);
          expect(orders.map((o) => o.status)).toEqual(["CANCELLED"]);
          expect((await shop.payments(order.id)).map((p) => p.status)).toEqual(["REFUNDED"]);
        }, 120_000);

        test("killed at a random moment under load: all orders settle consistently", async () => {
          await target.restart();
          const productId = await shop.product(15);
          const customers = await Promise.all(Array.from({ length: 25 }, () => shop.anon.newCustomer("load")));
          for (const c of customers) await shop.addToCart(c, productId, 1);
          const inFlight = customers.map((c, i) => shop.checkout(c, i % 5 === 0 ? CARDS.declined : CARDS.ok).catch(() => undefined));
          await Bun.sleep(15 + Math.random() * 30);
          await target.victim().kill();
          await Promise.all(inFlight);

          await target.restart();
          const orders = await expectSettled(shop, productId, 15);
          expect(orders.filter((o) => o.status === "PAID").length).toBeLessThanOrEqual(15);
        }, 120_000); // 25 sign-ups and sign-ins (argon2 each) and two starts: far past 5 s on a busy machine
      });

      if (mode === "split") {
        describe("a service the checkout calls killed at a random moment under load: back, and every customer retrying with its key, all settle", () => {
          for (const service of ["catalog", "payment", "cart"] as const) {
            test(`${service} killed`, async () => {
              await target.restart();
              const productId = await shop.product(10);
              const customers = await Promise.all(Array.from({ length: 12 }, () => shop.anon.newCustomer("dependency")));
              for (const c of customers) await shop.addToCart(c, productId, 1);
              const keys = customers.map(() => crypto.randomUUID());
              const card = (i: number) => (i % 4 === 0 ? CARDS.declined : CARDS.ok);
              const inFlight = customers.map((c, i) => shop.checkout(c, card(i), keys[i]).catch(() => undefined));
              await Bun.sleep(15 + Math.random() * 30);
              await target.services!.procs.get(service)!.kill();
              await Promise.all(inFlight);
              await target.services!.startOne(service);

              // What a client does with a 503 or a dropped connection: the same request again, a bounded number of times.
              await Promise.all(
                customers.map(async (c, i) => {
                  for (let attempt = 0; attempt < 10; attempt++) {
                    const answer = await shop.checkout(c, card(i), keys[i]).catch(() => undefined);
                    if (answer && answer.status !== 503) return;
                    await Bun.sleep(500);
                  }
                }),
              );
              const orders = await expectSettled(shop, productId, 10);
              expect(orders.filter((o) => o.status === "PAID").length).toBeLessThanOrEqual(10);
            }, 120_000);
          }
        });
      }

      describe("checkouts of one cart racing across a crash: the cart is ordered once, and recovery still settles everything", () => {
        for (const point of ["checkout.after-create", "checkout.after-reserve", "checkout.after-charge"]) {
          test(`4 checkouts of one cart with different keys, killed at ${point}, 4 more at once on restart`, async () => {
            await target.restart(point);
            const { productId, customer } = await customerWithCart(5, 2);
            const before = await raceCheckouts(shop, customer, 4);
            expect(before.some((a) => a?.status === 201)).toBe(false); // the process died before any answer of a paid order
            expect(await target.victim().proc.exited).not.toBe(0);

            // Same port and data, so the customer's token and client work on: the races go on while recovery runs.
            await target.restart();
            await raceCheckouts(shop, customer, 4);
            await expectCartOrderedOnce(shop, customer, { id: productId, stockBefore: 5, quantity: 2 }, (check) => eventually(check, 30_000));
          }, 120_000);
        }
      });
    });
  }
}
