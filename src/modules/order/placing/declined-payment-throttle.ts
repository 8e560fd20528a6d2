import type { Principal } from "../../../platform/auth/principal";
import type { ClientAddresses, RequestIpSource } from "../../../platform/http/client-address";
import type { RateLimiter, RateLimiterFactory, ThrottleRule } from "../../../platform/throttling/rate-limiter";
import { throttled } from "../../../platform/throttling/throttled-error";
import type { CheckoutOutcome } from "./checkout-outcome";

export interface DeclinedPaymentLimits {
  limiterFor: RateLimiterFactory;
  perAccount: ThrottleRule;
  perAddress: ThrottleRule;
  addresses: ClientAddresses;
}

/**
 * Card testing: a customer whose checkouts keep being declined, or an address doing so across
 * accounts, is stopped (429) before another card is tried. Only declines count, per account and per
 * address: a customer or an address that pays is never stopped. An account's attempt counts as a
 * decline while it runs and is taken back if it did not end declined, so a burst cannot slip past the
 * account's limit. Per address, checkouts already in flight when the limit is reached finish.
 *
 * A retry is not another card: a request whose Idempotency-Key is already running here joins it
 * uncounted, and a replayed decline is counted once per order. (Both are this process's memory:
 * with several replicas a retry that lands elsewhere may count twice, erring on the safe side.)
 */
interface Reservation {
  userId: string;
  address: string;
}

export class DeclinedPaymentThrottle {
  private readonly perAccount: RateLimiter;
  private readonly perAddress: RateLimiter;
  /** Checkouts admitted or being admitted here, by customer and Idempotency-Key: retries wait for the first's admission. */
  private readonly running = new Map<string, Promise<void>>();
  private readonly countedOrders = new Set<string>();

  constructor(private readonly limits: DeclinedPaymentLimits) {
    this.perAccount = limits.limiterFor(limits.perAccount);
    this.perAddress = limits.limiterFor(limits.perAddress);
  }

  async around(
    principal: Principal,
    idempotencyKey: string,
    request: Request,
    server: RequestIpSource | null,
    place: () => Promise<CheckoutOutcome>,
  ): Promise<CheckoutOutcome> {
    const checkout = `${principal.userId} ${idempotencyKey}`;
    const first = this.running.get(checkout);
    if (first) {
      await first; // refused: so is this retry (the same error)
      return place(); // joins the checkout in flight, or replays it
    }
    let admission!: { admit(): void; refuse(error: unknown): void };
    const admitted = new Promise<void>((admit, refuse) => (admission = { admit, refuse }));
    admitted.catch(() => undefined); // nobody may be waiting
    this.running.set(checkout, admitted); // before any await: a retry sent at once finds it
    try {
      const address = this.limits.addresses.of(request, server);
      const reserved = await this.reserve(principal.userId, address);
      admission.admit();
      return await this.counted(reserved, place);
    } catch (error) {
      admission.refuse(error);
      throw error;
    } finally {
      this.running.delete(checkout);
    }
  }

  /**
   * Per account, counts this attempt as a decline before any card is tried, so that an account's
   * attempts already admitted count against its limit (checking first and counting after the payment
   * let an attempt admitted meanwhile through: 4 declines for a limit of 3 under a burst). Per address
   * it only checks: many customers behind one address check out at once, and in-flight checkouts
   * must not crowd out paying ones; their declines are counted when they end.
   */
  private async reserve(userId: string, address: string): Promise<Reservation> {
    const fromAddress = await this.perAddress.check(address);
    if (!fromAddress.allowed) throw this.refusal("from this address", this.perAddress, fromAddress.retryAfterSeconds);
    const forAccount = await this.perAccount.hit(userId);
    if (!forAccount.allowed) {
      await this.perAccount.release(userId);
      throw this.refusal("for this account", this.perAccount, forAccount.retryAfterSeconds);
    }
    return { userId, address };
  }

  /** Runs an admitted checkout: a decline (once per order) counts against the address, and keeps the account's count. */
  private async counted(reserved: Reservation, place: () => Promise<CheckoutOutcome>): Promise<CheckoutOutcome> {
    let declined = false;
    try {
      const outcome = await place();
      declined = outcome.ending === "PAYMENT_FAILED" && this.firstCount(outcome.order.id);
      return outcome;
    } finally {
      if (declined) await this.perAddress.hit(reserved.address);
      else await this.perAccount.release(reserved.userId);
    }
  }

  /** True the first time an order's decline is seen (bounded: the oldest are forgotten first). */
  private firstCount(orderId: string): boolean {
    if (this.countedOrders.has(orderId)) return false;
    if (this.countedOrders.size >= 10_000) this.countedOrders.delete(this.countedOrders.values().next().value!);
    this.countedOrders.add(orderId);
    return true;
  }

  private refusal(where: string, limiter: RateLimiter, retryAfterSeconds: number) {
    return throttled("TOO_MANY_DECLINED_PAYMENTS", `Too many declined payments ${where}; no card is tried`, limiter.rule, retryAfterSeconds);
  }
}
