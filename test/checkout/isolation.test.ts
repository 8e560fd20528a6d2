import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { DEMO } from "../support/http-client";
import { startEntrypoint, type ServerProcess } from "../support/processes";
import { Shop } from "../support/shop";
import { engines } from "../support/engines";

for (const engine of engines()) {
  describe(`on ${engine.name}`, () => {
    let server: ServerProcess;
    beforeAll(async () => {
      server = await startEntrypoint("all.ts", { ...(await engine.env("isolation")), SEED_CATALOG: "false" });
    }, engine.setupTimeoutMs + 60_000);
    afterAll(async () => {
      await server?.stop();
    });

    test("a customer can neither read nor change another's cart, orders or payments", async () => {
      const shop = await Shop.connect(server.url);
      const alice = await shop.anon.login("alice", DEMO.alice);
      const bob = await shop.anon.login("bob", DEMO.bob);
      const productId = await shop.product(10);

      await shop.addToCart(alice, productId, 2);
      const order = (await shop.checkout(alice)).body;
      await shop.addToCart(alice, productId, 1);

      // Bob's cart is his own; there is no way to name Alice's.
      expect((await bob.get("/api/cart")).body.items).toEqual([]);
      await bob.delete("/api/cart");
      expect((await alice.get("/api/cart")).body.items).toHaveLength(1);
      expect((await bob.delete(`/api/cart/items/${productId}`)).status).toBe(404);
      expect((await alice.get("/api/cart")).body.items[0].quantity).toBe(1);

      // Alice's order does not exist for Bob.
      expect((await bob.get(`/api/orders/${order.id}`)).status).toBe(404);
      expect((await bob.post(`/api/orders/${order.id}/cancel`)).status).toBe(404);
      expect((await bob.get("/api/orders")).body.items.some((o: any) => o.id === order.id)).toBe(false);
      expect((await alice.get(`/api/orders/${order.id}`)).body.status).toBe("PAID");

      // Nor do her payments.
      expect((await bob.get(`/api/payments/${order.paymentId}`)).status).toBe(404);
      expect((await bob.get(`/api/payments?orderId=${order.id}`)).body).toEqual([]);
      expect((await alice.get(`/api/payments/${order.paymentId}`)).body.orderId).toBe(order.id);

      // Customers cannot charge or reach internal routes.
      expect((await bob.post("/api/payments", { orderId: order.id, userId: "x", amountCents: 1, currency: "EUR", cardNumber: "4242424242424242" })).status).toBe(403);
      expect((await bob.get(`/internal/cart/${order.userId}`)).status).toBe(403);
      expect((await shop.anon.get("/api/cart")).status).toBe(401);
      expect((await shop.anon.get("/api/orders")).status).toBe(401);
    });
  });
}
