import type { Principal } from "../../../platform/auth/principal";
import { conflict } from "../../../platform/errors";
import type { Order, OrderStatus } from "../contract";
import type { OrderRepository } from "../order-repository";
import { moveOrder } from "../order-status-machine";
import type { OrderCancellation } from "../settling/cancel-order";
import type { OrderQueries } from "../viewing/order-queries";

/**
 * Operators move paid orders along by hand: SHIPPED, then DELIVERED. CANCELLED by hand is a
 * cancellation (refund and stock back); PAID and PAYMENT_FAILED are only ever set by the checkout.
 */
export class Fulfilment {
  constructor(private readonly deps: { orders: OrderRepository; queries: OrderQueries; cancellation: OrderCancellation }) {}

  async setStatus(principal: Principal, id: string, to: OrderStatus): Promise<Order> {
    const order = await this.deps.queries.getFor(principal, id);
    if (to === "CANCELLED") return this.deps.cancellation.cancel(principal, id);
    if (to !== "SHIPPED" && to !== "DELIVERED") {
      throw conflict("ILLEGAL_TRANSITION", `${to} is set by the checkout, not by hand`, { from: order.status, to });
    }
    // Not while a cancellation is under way: its refund may already be done (a refunded order is never shipped).
    return this.deps.orders.updateUnlessCancelling(id, (o) => moveOrder(o, to));
  }
}
