import type { Order, OrderStatus } from "../contract";

/**
 * How a checkout ended, as its request is answered: PAID, PAYMENT_FAILED, CANCELLED (out of
 * stock, or interrupted), or PENDING while it has not ended (a dependency was down: the client's
 * retry or the recovery sweep settles it). routes.ts maps it to the HTTP status.
 */
export type CheckoutEnding = Extract<OrderStatus, "PAID" | "PAYMENT_FAILED" | "CANCELLED" | "PENDING">;

export interface CheckoutOutcome {
  ending: CheckoutEnding;
  order: Order;
}

/** A paid order that moved on (shipped, delivered) still ended its checkout paid. */
const ENDING: Record<OrderStatus, CheckoutEnding> = {
  PENDING: "PENDING",
  PAID: "PAID",
  SHIPPED: "PAID",
  DELIVERED: "PAID",
  PAYMENT_FAILED: "PAYMENT_FAILED",
  CANCELLED: "CANCELLED",
};

/** The ending of a checkout that just ran, from where its order stands now. */
export const endingNow = (order: Pick<Order, "status">): CheckoutEnding => ENDING[order.status];

/**
 * What the checkout answered once its order left PENDING, whatever the order became since (a paid
 * order later cancelled still replays PAID): its first status after PENDING, from the history.
 * Undefined while it is still pending.
 */
export function settledEnding(order: Order): CheckoutEnding | undefined {
  const settled = order.history.find((change) => change.status !== "PENDING");
  return settled ? ENDING[settled.status] : undefined;
}
