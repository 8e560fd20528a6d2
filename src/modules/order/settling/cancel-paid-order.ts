import { crashPoint } from "../../../platform/crash-points";
import { conflict } from "../../../platform/errors";
import type { CatalogApi } from "../../catalog";
import type { PaymentApi } from "../../payment";
import type { Order } from "../contract";
import type { OrderRepository } from "../order-repository";
import { moveOrder } from "../order-status-machine";
import { refundPayment } from "../placing/charge-payment.step";
import { releaseStock } from "../placing/reserve-stock.step";

/**
 * Cancelling a paid order moves money back: record the intent first (so a crash half-way is
 * finished by recovery), refund, release the stock, then CANCELLED. The refund and the release
 * are the checkout's own compensations; every step is idempotent.
 */
export class PaidOrderCancellation {
  constructor(private readonly deps: { orders: OrderRepository; catalog: CatalogApi; payments: PaymentApi }) {}

  async cancel(order: Order, reason: string): Promise<Order> {
    const { orders } = this.deps;
    const marked = await orders.markCancelRequested(order.id, (o) => {
      moveOrder(o, "CANCELLED"); // throws 409 when the order can no longer be cancelled
      if (o.status !== "PAID") throw conflict("ILLEGAL_TRANSITION", `Order ${o.id} is ${o.status}`);
    });
    await orders.writesOnDisk(); // the intent is on disk before any money moves: a crash after the refund finishes the cancel
    return this.finish(marked, reason);
  }

  /** The money part, also what recovery runs for a cancellation a crash interrupted. */
  async finish(order: Order, reason = "Cancelled"): Promise<Order> {
    const { orders, catalog, payments } = this.deps;
    await refundPayment(payments, order);
    crashPoint("cancel.after-refund");
    await releaseStock(catalog, order);
    return orders.update(order.id, (o) => (o.status === "PAID" ? moveOrder(o, "CANCELLED", reason) : null));
  }
}
