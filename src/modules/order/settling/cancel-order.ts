import type { Principal } from "../../../platform/auth/principal";
import { conflict } from "../../../platform/errors";
import type { Order } from "../contract";
import { moveOrder } from "../order-status-machine";
import { isStaff, type OrderQueries } from "../viewing/order-queries";
import type { PaidOrderCancellation } from "./cancel-paid-order";
import type { CheckoutRecovery } from "./checkout-recovery";

/**
 * A customer or an operator cancels an order: a checkout that stopped half-way is settled first
 * (it may turn out paid), a paid order is refunded and its stock released, and any other order
 * gets the 409 that says why not.
 */
export class OrderCancellation {
  constructor(private readonly deps: { queries: OrderQueries; recovery: CheckoutRecovery; paidCancellation: PaidOrderCancellation }) {}

  async cancel(principal: Principal, id: string): Promise<Order> {
    const { queries, recovery, paidCancellation } = this.deps;
    const order = await queries.getFor(principal, id);
    const reason = isStaff(principal) ? "Cancelled by an operator" : "Cancelled by the customer";
    if (order.status === "PENDING") {
      // Settled only when no process runs its checkout: not this one (CheckoutSaga.settleAlone), nor another (its claim, checkout-claims.ts).
      const settled = (await recovery.settleIfFree(order)) ?? (await queries.getFor(principal, id));
      if (settled.status === "PENDING") throw conflict("CHECKOUT_IN_PROGRESS", "The checkout of this order is still running; try again in a moment");
      return settled.status === "PAID" ? paidCancellation.cancel(settled, reason) : settled;
    }
    if (order.status === "PAID") return paidCancellation.cancel(order, reason);
    moveOrder(order, "CANCELLED"); // throws the 409 that explains why not
    return order;
  }
}
