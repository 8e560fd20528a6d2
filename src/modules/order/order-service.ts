import type { Principal } from "../../platform/auth/principal";
import { conflict, notFound } from "../../platform/errors";
import type { Order, OrderStatus, StatsRange } from "./contract";
import type { OrderCancellation } from "./order-cancellation";
import type { OrderListQuery } from "./order-repository";
import type { OrderStore } from "./order-store";
import { moveOrder } from "./order-status";
import type { CheckoutRecovery } from "./checkout/checkout-recovery";
import type { CheckoutSaga } from "./checkout/checkout-saga";

const isStaff = (p: Principal) => p.role !== "customer";

/** Reading orders with the caller's rights, and the moves people make by hand. */
export class OrderService {
  constructor(
    private readonly store: OrderStore,
    private readonly saga: CheckoutSaga,
    private readonly recovery: CheckoutRecovery,
    private readonly cancellation: OrderCancellation,
  ) {}

  /** Another customer's order is a 404, not a 403: its existence is not theirs to know. */
  getFor(principal: Principal, id: string): Order {
    const order = this.store.repo.get(id);
    if (!order || (!isStaff(principal) && order.userId !== principal.userId)) throw notFound("Order", id);
    return order;
  }

  list(principal: Principal, query: Omit<OrderListQuery, "userId">) {
    return this.store.repo.list({ ...query, userId: isStaff(principal) ? undefined : principal.userId });
  }

  stats() {
    return this.store.repo.stats();
  }

  series(range: StatsRange) {
    return this.store.repo.series(range);
  }

  failures(range: StatsRange) {
    return this.store.repo.failures(range);
  }

  async cancel(principal: Principal, id: string): Promise<Order> {
    const order = this.getFor(principal, id);
    const reason = isStaff(principal) ? "Cancelled by an operator" : "Cancelled by the customer";
    if (order.status === "PENDING") {
      if (this.saga.isRunning(id)) throw conflict("CHECKOUT_IN_PROGRESS", "The checkout of this order is still running; try again in a moment");
      const settled = await this.recovery.settle(order);
      return settled.status === "PAID" ? this.cancellation.cancelPaid(settled, reason) : settled;
    }
    if (order.status === "PAID") return this.cancellation.cancelPaid(order, reason);
    moveOrder(order, "CANCELLED"); // throws the 409 that explains why not
    return order;
  }

  /** Operators move paid orders along; PAID and PAYMENT_FAILED are only ever set by the checkout. */
  async setStatus(principal: Principal, id: string, to: OrderStatus): Promise<Order> {
    const order = this.getFor(principal, id);
    if (to === "CANCELLED") return this.cancel(principal, id);
    if (to !== "SHIPPED" && to !== "DELIVERED") {
      throw conflict("ILLEGAL_TRANSITION", `${to} is set by the checkout, not by hand`, { from: order.status, to });
    }
    return this.store.update(id, (o) => moveOrder(o, to));
  }
}
