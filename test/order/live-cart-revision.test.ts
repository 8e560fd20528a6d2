// The constraint under "a cart is ordered at most once", on a real order database: one order holds a
// customer's cart revision from its insert until it ends unpaid; paid, shipped and delivered orders
// keep holding it; another customer's or another revision is independent.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Order, OrderStatus } from "../../src/modules/order";
import type { OrderRepository } from "../../src/modules/order/order-repository";
import { moveOrder } from "../../src/modules/order/order-status-machine";
import { engines } from "../support/engines";
import { moduleDepsOn } from "../support/module-harness";
import { anOrder, keyFor, orderDatabase } from "../support/order-database";

for (const engine of engines()) {
  describe(`on ${engine.name}`, () => {
    let database: Awaited<ReturnType<typeof orderDatabase>>;
    let orders: OrderRepository;
    beforeAll(async () => {
      database = await orderDatabase(await moduleDepsOn(engine, "live_cart_revision"));
      orders = database.orders;
    }, engine.setupTimeoutMs + 30_000);
    afterAll(() => database?.close());
    const pending = (userId: string) => anOrder(userId);
    const place = (order: Order, revision: number) => orders.placePending(order, revision, keyFor(order));
    async function move(order: Order, ...path: OrderStatus[]): Promise<Order> {
      let moved = order;
      for (const to of path) moved = await orders.update(order.id, (current) => moveOrder(current, to));
      return moved;
    }

    test("a second order at a held revision writes nothing and names the holder, whatever the holder's live status", async () => {
      for (const path of [[], ["PAID"], ["PAID", "SHIPPED"], ["PAID", "SHIPPED", "DELIVERED"]] as OrderStatus[][]) {
        const userId = `u-${crypto.randomUUID()}`;
        const holder = pending(userId);
        expect(await place(holder, 3)).toEqual({ placed: true });
        const moved = await move(holder, ...path);
        const second = pending(userId);
        expect(await place(second, 3)).toEqual({ placed: false, heldBy: { id: holder.id, status: moved.status, paymentId: null } });
        expect(await orders.get(second.id)).toBeUndefined();
        // Another revision of the same cart, or another customer's cart at the same revision, is free.
        expect(await place(pending(userId), 4)).toEqual({ placed: true });
        expect(await place(pending(`u-${crypto.randomUUID()}`), 3)).toEqual({ placed: true });
      }
    });

    test("an order that ends unpaid (payment failed, cancelled for stock, paid then cancelled) lets go of the revision", async () => {
      for (const path of [["PAYMENT_FAILED"], ["CANCELLED"], ["PAID", "CANCELLED"]] as OrderStatus[][]) {
        const userId = `u-${crypto.randomUUID()}`;
        const first = pending(userId);
        await place(first, 0);
        await move(first, ...path);
        const retry = pending(userId);
        expect(await place(retry, 0)).toEqual({ placed: true });
        expect(await place(pending(userId), 0)).toMatchObject({ placed: false, heldBy: { id: retry.id } });
      }
    });

    test("a refused insert rolls back what the same unit wrote first (the idempotency key)", async () => {
      const userId = `u-${crypto.randomUUID()}`;
      await place(pending(userId), 7);
      const second = pending(userId);
      expect(await orders.placePending(second, 7, keyFor(second, "key-1"))).toMatchObject({ placed: false });
      expect(await orders.findKey(userId, "key-1")).toBeUndefined();
    });

    test("a key already taken writes nothing: neither the order nor the key again", async () => {
      const userId = `u-${crypto.randomUUID()}`;
      const first = pending(userId);
      await place(first, 1);
      const second = pending(userId);
      expect(await orders.placePending(second, 2, keyFor(second, `key-${first.id}`))).toEqual({ placed: false, keyTaken: true });
      expect(await orders.get(second.id)).toBeUndefined();
      expect(await orders.findKey(userId, `key-${first.id}`)).toMatchObject({ orderId: first.id });
    });
  });
}
