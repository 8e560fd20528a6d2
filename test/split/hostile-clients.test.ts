import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startKafkaOnFreePorts, type KafkaBroker } from "../../scripts/kafka/broker";
import { chargeAmountsAreBounded, jsonIntegersAreNumbers } from "../scenarios/amounts-and-json-numbers";
import { concurrentCheckoutsOfOneCart, expectCartOrderedOnce, LOST_CART_RACE, oneCheckoutPerCartStillAllowsRetries, raceCheckouts } from "../scenarios/one-checkout-per-cart";
import { expectedTotalsAgainstLivePrices, oneCurrencyPerCart } from "../scenarios/price-and-currency";
import { tempDir } from "../support/processes";
import { CARDS, Shop } from "../support/shop";
import { eventually } from "../support/sse";
import { SplitShop } from "../support/split-shop";
import { engines } from "../support/engines";

// The checkout's guarantees against careless and hostile clients (issue 12 items 2, 7, 12), in
// split mode: four services behind the gateway, events through a real Kafka broker. The all-in-one
// runs of the same scenarios are in test/checkout/.

for (const engine of engines()) {
  describe(`on ${engine.name}`, () => {
    let kafka: KafkaBroker;
    let split: SplitShop;
    beforeAll(async () => {
      kafka = await startKafkaOnFreePorts({ dataDir: tempDir("kafka-") });
      split = await new SplitShop({ ...(await engine.env("hostile_split")), KAFKA_BROKERS: kafka.brokers, SEED_CATALOG: "false" }).start();
    }, engine.setupTimeoutMs + 120_000);
    afterAll(async () => {
      await split?.stop();
      await kafka?.stop();
    }, 60_000);

    const settle = (check: () => Promise<void>) => eventually(check, 30_000);

    /** Runs `during` with `service` restarted at a crash point, then restarts it without one (also when `during` fails). */
    async function withCrashPoint(service: "order" | "cart", point: string, during: () => Promise<void>) {
      await split.stopOne(service);
      await split.startOne(service, { CRASH_AT: point });
      try {
        await during();
      } finally {
        await split.stopOne(service);
        await split.startOne(service);
      }
    }

    describe("a cart's contents are ordered at most once", () => {
      test("5 checkouts of one cart at once with different keys, 3 rounds: one paid, one payment, stock taken once, the rest 409", async () => {
        await concurrentCheckoutsOfOneCart(split.url, { rounds: 3, concurrent: 5 });
      }, 60_000);

      test("a same-key retry replays, a declined payment leaves the cart free, the next cart checks out", async () => {
        await oneCheckoutPerCartStillAllowsRetries(split.url);
      }, 30_000);

      test("the order service killed mid-checkout (after the charge) while checkouts of one cart race: ordered once, recovery settles it", async () => {
        const shop = await Shop.connect(split.url);
        const productId = await shop.product(5);
        const customer = await shop.anon.newCustomer("split-crash");
        await shop.addToCart(customer, productId, 2);
        await withCrashPoint("order", "checkout.after-charge", async () => {
          const before = await raceCheckouts(shop, customer, 4);
          expect(before.some((a) => a?.status === 201)).toBe(false);
          expect(await split.procs.get("order")!.proc.exited).not.toBe(0);
        });
        await raceCheckouts(shop, customer, 4);
        await expectCartOrderedOnce(shop, customer, { id: productId, stockBefore: 5, quantity: 2 }, settle);
      }, 90_000);

      test("the cart service dies before a paid order's lines leave it: until order.paid empties it, another checkout is a 409, never a second charge", async () => {
        const shop = await Shop.connect(split.url);
        const productId = await shop.product(10);
        const customer = await shop.anon.newCustomer("split-clear");
        await shop.addToCart(customer, productId, 2);
        let paid!: Awaited<ReturnType<Shop["checkout"]>>;
        await withCrashPoint("cart", "cart.checked-out-call", async () => {
          paid = await shop.checkout(customer, CARDS.ok);
          expect(paid.status).toBe(201); // the cart's failure after PAID is logged, not the customer's problem
          expect(await split.procs.get("cart")!.proc.exited).not.toBe(0);
        });

        // Back without the crash point: the cart holds the ordered lines until Kafka redelivers order.paid.
        const again = await shop.checkout(customer, CARDS.ok);
        expect(again.status).toBe(409);
        expect(LOST_CART_RACE).toContain(again.body.error.code);
        if (again.body.error.code === "CART_ALREADY_ORDERED") expect(again.body.error.details).toEqual({ orderId: paid.body.id, status: "PAID" });
        await expectCartOrderedOnce(shop, customer, { id: productId, stockBefore: 10, quantity: 2 }, settle);

        // The next cart is a new checkout.
        await shop.addToCart(customer, productId, 1);
        expect((await shop.checkout(customer, CARDS.ok)).status).toBe(201);
      }, 90_000);
    });

    describe("price and currency", () => {
      test("another live total than the expected one is a 409 PRICE_CHANGED and nothing is ordered", async () => {
        await expectedTotalsAgainstLivePrices(split.url);
      }, 30_000);

      test("one currency per cart, also after an operator changes a product's currency", async () => {
        await oneCurrencyPerCart(split.url);
      }, 30_000);
    });

    describe("amounts and JSON numbers", () => {
      test("a checkout whose total a card processor would refuse is a 409 before anything is created", async () => {
        await chargeAmountsAreBounded(split.url);
      }, 30_000);

      test('"5" is not an integer in a JSON body, through the gateway to every service', async () => {
        await jsonIntegersAreNumbers(split.url);
      }, 30_000);
    });
  });
}
