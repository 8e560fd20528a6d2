// The constraint under "a cart is ordered at most once", on a real order database: one order holds a
// customer's cart revision from its insert until it ends unpaid; paid, shipped and delivered orders
// keep holding it; another customer's or another revision is independent.
import { afterAll, expect, test } from "bun:test";
import { join } from "node:path";
import type { Order, OrderStatus } from "../../src/modules/order";
import { OrderRepository } from "../../src/modules/order/order-repository";
import { OrderStore } from "../../src/modules/order/order-store";
import { moveOrder } from "../../src/modules/order/order-status";
import * as orderSchema from "../../src/modules/order/schema";
import { openModuleDatabase } from "../../src/platform/db/open-database";
import { moduleDeps } from "../contracts/harness";

const database = openModuleDatabase(moduleDeps().dataDir, "order", orderSchema, join(import.meta.dir, "..", "..", "src", "modules", "order", "migrations"));
const store = new OrderStore(database.sqlite, new OrderRepository(database.db, database.sqlite), () => {});
afterAll(() => database.close());

function pending(userId: string): Order {
  const at = new Date().toISOString();
  return {
    id: `o-${crypto.randomUUID()}`, userId, username: "rev", status: "PENDING", paymentId: null, failureReason: null,
    items: [{ productId: "p-1", name: "Kettle", unitPriceCents: 1234, quantity: 1, lineTotalCents: 1234 }],
    totalCents: 1234, currency: "EUR", history: [{ status: "PENDING", at }], createdAt: at, updatedAt: at,
  };
}
const place = (order: Order, revision: number) => store.create(order, revision, () => true);
const move = (order: Order, ...path: OrderStatus[]) => path.reduce((o, to) => store.update(o.id, (current) => moveOrder(current, to)), order);

test("a second order at a held revision writes nothing and names the holder, whatever the holder's live status", () => {
  for (const path of [[], ["PAID"], ["PAID", "SHIPPED"], ["PAID", "SHIPPED", "DELIVERED"]] as OrderStatus[][]) {
    const userId = `u-${crypto.randomUUID()}`;
    const holder = pending(userId);
    expect(place(holder, 3)).toEqual({ created: true });
    const moved = move(holder, ...path);
    const second = pending(userId);
    expect(place(second, 3)).toEqual({ created: false, heldBy: { id: holder.id, status: moved.status, paymentId: null } });
    expect(store.repo.get(second.id)).toBeUndefined();
    // Another revision of the same cart, or another customer's cart at the same revision, is free.
    expect(place(pending(userId), 4)).toEqual({ created: true });
    expect(place(pending(`u-${crypto.randomUUID()}`), 3)).toEqual({ created: true });
  }
});

test("an order that ends unpaid (payment failed, cancelled for stock, paid then cancelled) lets go of the revision", () => {
  for (const path of [["PAYMENT_FAILED"], ["CANCELLED"], ["PAID", "CANCELLED"]] as OrderStatus[][]) {
    const userId = `u-${crypto.randomUUID()}`;
    const first = pending(userId);
    place(first, 0);
    move(first, ...path);
    const retry = pending(userId);
    expect(place(retry, 0)).toEqual({ created: true });
    expect(place(pending(userId), 0)).toMatchObject({ created: false, heldBy: { id: retry.id } });
  }
});

test("a refused insert rolls back what the same transaction wrote first (the idempotency key)", () => {
  const userId = `u-${crypto.randomUUID()}`;
  place(pending(userId), 7);
  const second = pending(userId);
  const result = store.create(second, 7, () => store.repo.claimKey(userId, "key-1", "hash", second.id, new Date().toISOString()));
  expect(result).toMatchObject({ created: false });
  expect(store.repo.findKey(userId, "key-1")).toBeUndefined();
});
