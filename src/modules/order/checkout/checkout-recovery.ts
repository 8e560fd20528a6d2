import type { Logger } from "../../../platform/logger";
import type { CartApi } from "../../cart";
import type { CatalogApi } from "../../catalog";
import type { PaymentApi } from "../../payment";
import type { Order } from "../contract";
import type { OrderStore } from "../order-store";
import { moveOrder } from "../order-status";
import { declineReason } from "./charge-payment.step";
import { clearCheckedOutLines } from "./clear-cart.step";
import type { CheckoutSaga } from "./checkout-saga";
import { releaseStock } from "./reserve-stock.step";
import type { OrderCancellation } from "../order-cancellation";

/**
 * Settles checkouts that stopped half-way: at start (a crash or kill mid-checkout) and
 * periodically (a dependency was down and the client never retried). The card number is never
 * stored, so a PENDING order cannot be charged now: the payment module is asked what happened,
 * and the order is completed when the charge went through, or compensated when it did not.
 */
export class CheckoutRecovery {
  private timer: ReturnType<typeof setInterval> | undefined;
  private sweeping: Promise<number> | undefined;

  constructor(
    private readonly deps: {
      store: OrderStore;
      cart: CartApi;
      catalog: CatalogApi;
      payments: PaymentApi;
      saga: CheckoutSaga;
      cancellation: OrderCancellation;
      log: Logger;
    },
  ) {}

  /** Settles every unfinished checkout last touched before `olderThanMs` ago; returns how many. */
  sweep(olderThanMs: number): Promise<number> {
    this.sweeping ??= this.settleAll(olderThanMs).finally(() => (this.sweeping = undefined));
    return this.sweeping;
  }

  startPeriodic(everyMs = 30_000, olderThanMs = 120_000): void {
    this.timer = setInterval(() => void this.sweep(olderThanMs), everyMs);
    this.timer.unref?.();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.sweeping;
  }

  private async settleAll(olderThanMs: number): Promise<number> {
    const cutoff = new Date(Date.now() - olderThanMs).toISOString();
    let settled = 0;
    for (const order of this.deps.store.repo.unfinished(cutoff)) {
      if (this.deps.saga.isRunning(order.id)) continue;
      try {
        await this.settle(order);
        settled++;
      } catch (error) {
        this.deps.log.warn("could not settle unfinished checkout; will retry", { orderId: order.id, err: error });
      }
    }
    if (settled) this.deps.log.info("settled unfinished checkouts", { settled });
    return settled;
  }

  async settle(order: Order): Promise<Order> {
    const { store, catalog, payments, cancellation } = this.deps;
    if (order.status === "PAID") return cancellation.finishPaidCancel(order);
    if (order.status !== "PENDING") return order;

    const payment = await payments.findByOrder(order.id);
    if (payment?.status === "CAPTURED") {
      const paid = store.update(order.id, (o) => (o.status === "PENDING" ? { ...moveOrder(o, "PAID"), paymentId: payment.id } : null));
      await clearCheckedOutLines(this.deps.cart, paid, this.deps.log);
      return paid;
    }
    await releaseStock(catalog, order);
    if (payment?.status === "DECLINED") {
      return store.update(order.id, (o) => (o.status === "PENDING" ? { ...moveOrder(o, "PAYMENT_FAILED", declineReason(payment)), paymentId: payment.id } : null));
    }
    return store.update(order.id, (o) => (o.status === "PENDING" ? moveOrder(o, "CANCELLED", "Checkout interrupted before payment") : null));
  }
}
