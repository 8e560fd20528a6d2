import type { Order } from "../contract";

export interface CheckoutOutcome {
  /** 201 paid, 402 payment failed, 409 cancelled for stock; 202 while still pending. */
  status: number;
  order: Order;
}

export function statusCodeFor(order: Order): number {
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
