import type { Order } from "../contract";

export interface CheckoutOutcome {
  /** 201 paid, 402 payment failed, 409 cancelled for stock; 202 while still pending. */
  status: number;
  order: Order;
}

export function statusCodeFor(order: Pick<Order, "status">): number {
  switch (order.status) {
    case "PENDING":
      return 202;
    case "PAYMENT_FAILED":
      return 402;
    case "CANCELLED":
      return 409;
    default:
      return 201;
  }
}

/**
 * What the checkout answered once the order left PENDING, whatever it became since (a paid order
 * later cancelled still replays 201): its first status after PENDING, from the history. Undefined
 * while it is still pending.
 */
export function settledStatusCode(order: Order): number | undefined {
  const settled = order.history.find((change) => change.status !== "PENDING");
  return settled ? statusCodeFor(settled) : undefined;
}
