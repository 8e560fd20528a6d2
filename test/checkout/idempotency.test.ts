import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { CARDS, Shop } from "../support/shop";
import { engines } from "../support/engines";
import { MODE_START_TIMEOUT_MS, shopModes, startShopIn, type RunningShop } from "../support/shop-modes";

for (const engine of engines()) {
  for (const mode of shopModes()) describe(`on ${engine.name}, ${mode}`, () => {
    let server: RunningShop;
    let shop: Shop;
    beforeAll(async () => {
      server = await startShopIn(mode, { ...(await engine.env("same_key")), SEED_CATALOG: "false" });
      shop = await Shop.connect(server.url);
    }, engine.setupTimeoutMs + MODE_START_TIMEOUT_MS[mode]);
    afterAll(async () => {
      await server?.stop();
    }, 60_000);

    test("the same Idempotency-Key sent 20 times at once creates one order and one payment", async () => {
      const customer = await shop.anon.newCustomer("retry");
      const productId = await shop.product(50, 700);
      await shop.addToCart(customer, productId, 2);
      const key = crypto.randomUUID();

      const results = await Promise.all(Array.from({ length: 20 }, () => shop.checkout(customer, CARDS.ok, key)));
      expect(new Set(results.map((r) => r.status))).toEqual(new Set([201]));
      const ids = new Set(results.map((r) => r.body.id));
      expect(ids.size).toBe(1);
      const [orderId] = [...ids];

      expect((await customer.get("/api/orders")).body.items).toHaveLength(1);
      expect(await shop.payments(orderId!)).toHaveLength(1);
      expect(await shop.stock(productId)).toBe(48);

      // Later retries replay the first answer, even after the cart changed.
      await shop.addToCart(customer, productId, 1);
      const later = await shop.checkout(customer, CARDS.ok, key);
      expect(later.status).toBe(201);
      expect(later.body.id).toBe(orderId);
      expect(await shop.stock(productId)).toBe(48);
    }, 60_000);

    test("a failed checkout replays its status code too", async () => {
      const customer = await shop.anon.newCustomer("declined");
      await shop.addToCart(customer, await shop.product(5), 1);
      const key = crypto.randomUUID();
      const first = await shop.checkout(customer, CARDS.declined, key);
      const again = await shop.checkout(customer, CARDS.declined, key);
      expect([first.status, again.status]).toEqual([402, 402]);
      expect(again.body.id).toBe(first.body.id);
      expect(await shop.payments(first.body.id)).toHaveLength(1);
    }, 30_000);

    test("a retry replays the checkout's answer even after the order moved on (paid, then cancelled and refunded)", async () => {
      const customer = await shop.anon.newCustomer("moved-on");
      await shop.addToCart(customer, await shop.product(5), 1);
      const key = crypto.randomUUID();
      const first = await shop.checkout(customer, CARDS.ok, key);
      expect(first.status).toBe(201);
      expect((await customer.post(`/api/orders/${first.body.id}/cancel`, {})).body.status).toBe("CANCELLED");
      const again = await shop.checkout(customer, CARDS.ok, key);
      expect(again.status).toBe(201); // what the checkout answered, not what the order is now
      expect(again.body.id).toBe(first.body.id);
      expect(again.body.status).toBe("CANCELLED");
    }, 30_000);

    test("the same key with a different body is a 422 and changes nothing", async () => {
      const customer = await shop.anon.newCustomer("reuse");
      await shop.addToCart(customer, await shop.product(5), 1);
      const key = crypto.randomUUID();
      expect((await shop.checkout(customer, CARDS.ok, key)).status).toBe(201);
      const reused = await shop.checkout(customer, CARDS.declined, key);
      expect(reused.status).toBe(422);
      expect(reused.body.error.code).toBe("IDEMPOTENCY_KEY_REUSED");
      expect((await customer.get("/api/orders")).body.items).toHaveLength(1);
    }, 30_000);

    test("keys belong to one customer: the same key from another customer is a new checkout", async () => {
      const a = await shop.anon.newCustomer("keya");
      const b = await shop.anon.newCustomer("keyb");
      const productId = await shop.product(5);
      await shop.addToCart(a, productId, 1);
      await shop.addToCart(b, productId, 1);
      const key = crypto.randomUUID();
      const ra = await shop.checkout(a, CARDS.ok, key);
      const rb = await shop.checkout(b, CARDS.ok, key);
      expect(ra.body.id).not.toBe(rb.body.id);
      expect(await shop.stock(productId)).toBe(3);
    }, 30_000);

    test("an empty cart is a 409 and a missing key a 422 naming the header", async () => {
      const customer = await shop.anon.newCustomer("empty");
      const empty = await shop.checkout(customer);
      expect(empty.status).toBe(409);
      expect(empty.body.error.code).toBe("EMPTY_CART");
      await shop.addToCart(customer, await shop.product(5), 1);
      const noKey = await customer.post("/api/orders", { cardNumber: CARDS.ok });
      expect(noKey.status).toBe(422);
      expect(JSON.stringify(noKey.body.error)).toContain("idempotency-key");
      expect((await customer.get("/api/orders")).body.items).toHaveLength(0);
    }, 30_000);
  });
}
