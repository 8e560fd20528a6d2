import type { Logger } from "../../platform/logger";
import { crashPoint } from "../../platform/crash-points";
import { writesOnDisk } from "../../platform/db/group-commit";
import { conflict } from "../../platform/errors";
import { nowIso } from "../../platform/ids";
import type { CatalogApi } from "../catalog";
import type { PaymentApi } from "../payment";
import type { Order } from "./contract";
import type { OrderStore } from "./order-store";
import { moveOrder } from "./order-status";
import { refundPayment } from "./checkout/charge-payment.step";
import { releaseStock } from "./checkout/reserve-stock.step";

/**
 * Cancelling a paid order: mark the intent first (so a crash half-way is finished on restart),
 * refund, release the stock, then CANCELLED. Every step is idempotent.
 */
export class OrderCancellation {
  constructor(private readonly deps: { store: OrderStore; catalog: CatalogApi; payments: PaymentApi; log: Logger }) {}

  async cancelPaid(order: Order, reason: string): Promise<Order> {
    const { store } = this.deps;
    const marked = store.update(order.id, (o) => {
      moveOrder(o, "CANCELLED"); // throws 409 when the order can no longer be cancelled
      if (o.status !== "PAID") throw conflict("ILLEGAL_TRANSITION", `Order ${o.id} is ${o.status}`);
      store.repo.markCancelRequested(o.id, nowIso());
      return null;
    });
    await writesOnDisk(); // the intent is on disk before any money moves: a crash after the refund finishes the cancel
    return this.finishPaidCancel(marked, reason);
  }

  async finishPaidCancel(order: Order, reason = "Cancelled"): Promise<Order> {
    const { store, catalog, payments } = this.deps;
    await refundPayment(payments, order);
    crashPoint("cancel.after-refund");
    await releaseStock(catalog, order);
    return store.update(order.id, (o) => (o.status === "PAID" ? moveOrder(o, "CANCELLED", reason) : null));
  }
}
