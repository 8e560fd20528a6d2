import type { Logger } from "../../../platform/logger";
import type { CartApi } from "../../cart";
import type { CatalogApi } from "../../catalog";
import type { PaymentApi } from "../../payment";
import type { Order } from "../contract";
import type { OrderRepository } from "../order-repository";
import type { CheckoutSaga } from "../placing/checkout-saga";
import { settleOrder, verdictOf } from "../placing/settle-order.step";
import type { CheckoutClaims } from "./checkout-claims";
import type { PaidOrderCancellation } from "./cancel-paid-order";

/** At most this many unfinished checkouts per sweep; the next sweep takes the rest. */
const SWEEP_LIMIT = 500;

/**
 * Settles checkouts that stopped half-way: at start (a crash or kill mid-checkout) and
 * periodically (a dependency was down and the client never retried). The card number is never
 * stored, so a PENDING order cannot be charged now: the payment module is asked what happened, and
 * the checkout's own last step settles the order from its answer. A paid order whose cancellation
 * a crash interrupted is cancelled to the end. With several replicas, each order is settled under
 * its claim (checkout-claims.ts) and read again once claimed: whichever replica finds it first
 * settles it once; one that a live checkout or another sweep holds is left for the next sweep.
 * Within a process the saga's in-flight map plays the claim's part (CheckoutSaga.settleAlone).
 */
export class CheckoutRecovery {
  private timer: ReturnType<typeof setInterval> | undefined;
  private sweeping: Promise<number> | undefined;

  constructor(
    private readonly deps: {
      orders: OrderRepository;
      cart: CartApi;
      catalog: CatalogApi;
      payments: PaymentApi;
      saga: CheckoutSaga;
      paidCancellation: PaidOrderCancellation;
      claims: CheckoutClaims;
      log: Logger;
    },
  ) {}

  /** Settles every unfinished checkout last touched before `olderThanMs` ago; returns how many. */
  sweep(olderThanMs: number): Promise<number> {
    this.sweeping ??= this.settleAll(olderThanMs).finally(() => (this.sweeping = undefined));
    return this.sweeping;
  }

  /** Sweeps every `everyMs` for checkouts untouched `olderThanMs` (CHECKOUT_SWEEP_EVERY_MS, CHECKOUT_SWEEP_AFTER_MS). */
  startPeriodic(everyMs: number, olderThanMs: number): void {
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
    for (const order of await this.deps.orders.unfinished(cutoff, SWEEP_LIMIT)) {
      try {
        if (await this.settleIfFree(order, cutoff)) settled++;
      } catch (error) {
        this.deps.log.warn("could not settle unfinished checkout; will retry", { orderId: order.id, err: error });
      }
    }
    if (settled) this.deps.log.info("settled unfinished checkouts", { settled });
    return settled;
  }

  /**
   * Settles an unfinished order (as listed: PENDING, or PAID with a cancellation under way) if no
   * other process is moving it: claimed, read again (another replica may have settled it since it
   * was listed), settled. Undefined when another process holds it, or it moved on since (or, with
   * `touchedBefore`, was touched since).
   */
  async settleIfFree(listed: Order, touchedBefore?: string): Promise<Order | undefined> {
    // In this process: not while its saga runs the order, and a retry arriving meanwhile waits (settleAlone).
    return this.deps.saga.settleAlone(listed.id, async () => {
      const claimed = await this.deps.claims.exclusive(listed.id, async () => {
        const order = await this.deps.orders.get(listed.id);
        // Still as listed: a cancellation's intent is never taken back, so a PAID order listed stays one to finish.
        if (!order || order.status !== listed.status || (touchedBefore !== undefined && Date.parse(order.updatedAt) >= Date.parse(touchedBefore))) return undefined;
        return this.settle(order);
      });
      return claimed.ran ? claimed.value : undefined;
    });
  }

  /** Settles without claiming: for a caller that holds the order's claim or runs alone. */
  async settle(order: Order): Promise<Order> {
    if (order.status === "PAID") return this.deps.paidCancellation.finish(order);
    if (order.status !== "PENDING") return order;
    return settleOrder(this.deps, order, verdictOf(await this.deps.payments.findByOrder(order.id)));
  }
}
