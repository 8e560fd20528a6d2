// Order fixtures for the dashboard's logic tests. Ids are fake UUIDv7s whose order is their creation order.
import type { Order, OrderStatus } from "../../src/modules/order/contract";

/** n -> a UUIDv7-looking id that sorts with n. */
export const idOf = (n: number) => `0198a000-0000-7000-8000-${String(n).padStart(12, "0")}`;

export function order(n: number, over: Partial<Order> = {}): Order {
  const createdAt = new Date(Date.UTC(2026, 0, 1, 12, 0, n)).toISOString();
  const status: OrderStatus = over.status ?? "PAID";
  return {
    id: idOf(n),
    userId: `u-${n % 3}`,
    username: ["alice", "bob", "carol"][n % 3]!,
    status,
    items: [{ productId: "p-1", name: "Mug", unitPriceCents: 1250, quantity: 2, lineTotalCents: 2500 }],
    totalCents: 2500,
    currency: "USD",
    paymentId: status === "PENDING" ? null : `pay-${n}`,
    failureReason: null,
    history: [{ status: "PENDING", at: createdAt }, ...(status === "PENDING" ? [] : [{ status, at: createdAt }])],
    createdAt,
    updatedAt: createdAt,
    ...over,
  };
}

/** The same order after a move, `seconds` later. */
export function moved(o: Order, status: OrderStatus, seconds = 10): Order {
  const at = new Date(Date.parse(o.updatedAt) + seconds * 1000).toISOString();
  return { ...o, status, updatedAt: at, history: [...o.history, { status, at }] };
}

export const ids = (list: { items: Order[] }) => list.items.map((o) => o.id);
