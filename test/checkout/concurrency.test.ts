import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Api } from "../support/http-client";
import { Shop } from "../support/shop";
import { engines } from "../support/engines";
import { MODE_START_TIMEOUT_MS, shopModes, startShopIn, type RunningShop } from "../support/shop-modes";

for (const engine of engines()) {
  for (const mode of shopModes()) describe(`on ${engine.name}, ${mode}`, () => {
    let server: RunningShop;
    let shop: Shop;
    beforeAll(async () => {
      server = await startShopIn(mode, { ...(await engine.env("race")), SEED_CATALOG: "false" });
      shop = await Shop.connect(server.url);
    }, engine.setupTimeoutMs + MODE_START_TIMEOUT_MS[mode]);
    afterAll(async () => {
      await server?.stop();
    }, 60_000);

    test("40 customers check out at once for a product with stock 10: 10 paid, 30 cancelled for stock, no oversell", async () => {
      const productId = await shop.product(10, 500, "Limited Edition");
      const customers: Api[] = [];
      for (let i = 0; i < 40; i++) customers.push(await shop.anon.newCustomer("rush"));
      for (const c of customers) await shop.addToCart(c, productId, 1);

      const results = await Promise.all(customers.map((c) => shop.checkout(c)));
      const paid = results.filter((r) => r.body.status === "PAID");
      const cancelled = results.filter((r) => r.body.status === "CANCELLED");
      expect(paid.length).toBe(10);
      expect(cancelled.length).toBe(30);
      expect(paid.every((r) => r.status === 201)).toBe(true);
      expect(cancelled.every((r) => r.status === 409 && r.body.failureReason.startsWith("Out of stock: Limited Edition"))).toBe(true);
      expect(await shop.stock(productId)).toBe(0);

      // Payments captured equal paid orders; no payment was even attempted for the cancelled ones.
      const captured = (await Promise.all(results.map((r) => shop.payments(r.body.id)))).flat().filter((p) => p.status === "CAPTURED");
      expect(captured.length).toBe(10);
      expect(new Set(captured.map((p) => p.orderId))).toEqual(new Set(paid.map((r) => r.body.id)));
      const stats = (await shop.ops.get("/api/orders/stats")).body;
      expect(stats.countsByStatus).toMatchObject({ PAID: 10, CANCELLED: 30, PENDING: 0 });
      expect(stats.revenueByCurrency).toEqual([{ currency: "EUR", paidOrders: 10, revenueCents: 10 * 500, averageOrderValueCents: 500 }]);
    }, 120_000); // 40 sign-ups and sign-ins (argon2 each) and checkouts: far past 5 s on a busy machine

    test("an operator ships an order while it is being cancelled, 5 rounds: it ends either CANCELLED and refunded with its stock back, or SHIPPED and charged, never both", async () => {
      // Before: the cancellation recorded its intent, an operator's SHIPPED landed before its refund
      // finished, and the order ended SHIPPED with its payment REFUNDED and its stock back (5 of 5 rounds).
      const productId = await shop.product(100, 250, "Contested");
      let shippedRounds = 0;
      for (let round = 0; round < 5; round++) {
        const customer = await shop.anon.newCustomer("contested");
        await shop.addToCart(customer, productId, 2);
        const order = (await shop.checkout(customer)).body;
        expect(order.status).toBe("PAID");
        const answers = await Promise.all([
          ...Array.from({ length: 4 }, () => customer.post(`/api/orders/${order.id}/cancel`)),
          ...Array.from({ length: 4 }, () => shop.ops.patch(`/api/orders/${order.id}/status`, { status: "SHIPPED" })),
        ]);
        for (const a of answers) expect([200, 409]).toContain(a.status);
        for (const a of answers.filter((a) => a.status === 409)) expect(["ILLEGAL_TRANSITION", "CANCELLATION_IN_PROGRESS"]).toContain(a.body.error.code);
        const final = (await shop.ops.get(`/api/orders/${order.id}`)).body;
        const [payment] = await shop.payments(order.id);
        if (final.status === "SHIPPED") shippedRounds++;
        expect({ status: final.status, payment: payment.status }).toEqual(final.status === "SHIPPED" ? { status: "SHIPPED", payment: "CAPTURED" } : { status: "CANCELLED", payment: "REFUNDED" });
        // Every 200 answered the order as it ended.
        for (const a of answers.filter((a) => a.status === 200)) expect(a.body.status).toBe(final.status);
      }
      expect(await shop.stock(productId)).toBe(100 - 2 * shippedRounds);
    }, 120_000);
  });
}
