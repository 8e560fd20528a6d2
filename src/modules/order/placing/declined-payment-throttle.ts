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
  /**
   * Several replicas on one database: runs an account's attempt once no other process runs one of
   * the same account (its check, its card and its count), like the queue here does within a process.
   */
  acrossReplicas?: <T>(userId: string, work: () => Promise<T>) => Promise<T>;
}

/**
 * Card testing: a customer whose checkouts keep being declined, or an address doing so across
 * accounts, is stopped (429) before another card is tried. Only declines count, per account and per
 * address: a customer or an address that pays is never stopped. An account's attempts run one at a
 * time here, so a burst cannot slip past the account's limit. Per address, checkouts already in
 * flight when the limit is reached finish.
 *
 * A retry is not another card: a request whose Idempotency-Key is already running here joins it
 * uncounted, and a replayed decline is counted once per order. (Both are this process's memory:
 * with several replicas a retry that lands elsewhere may count twice, erring on the safe side.)
 *
 * Several replicas (PostgreSQL): the counts are in the order database and an account's attempts
 * also take turns across processes (`acrossReplicas`), so an account gets at most `limit` declines
 * per window however its attempts are spread. Per address, as within one process, attempts
 * already admitted finish: at most limit + (attempts in flight from the address) - 1.
 */
export class DeclinedPaymentThrottle {
  private readonly perAccount: RateLimiter;
  private readonly perAddress: RateLimiter;
  /** Checkouts admitted or being admitted here, by customer and Idempotency-Key: retries wait for the first's admission. */
  private readonly running = new Map<string, Promise<void>>();
  private readonly countedOrders = new Set<string>();
  /** The end of each account's last attempt here: the next one starts after it. */
  private readonly accountTurns = new Map<string, Promise<void>>();

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
      // One attempt of an account at a time: its check, its card and its count, so that attempts sent
      // together cannot all pass the check before the first decline is counted (CI saw 4 declines for a
      // limit of 3). The cart lets one checkout run at a time anyway; the others wait here instead.
      return await this.oneAtATime(principal.userId, async () => {
        const fromAddress = await this.perAddress.check(address);
        if (!fromAddress.allowed) throw this.refusal("from this address", this.perAddress, fromAddress.retryAfterSeconds);
        const forAccount = await this.perAccount.check(principal.userId);
        if (!forAccount.allowed) throw this.refusal("for this account", this.perAccount, forAccount.retryAfterSeconds);
        admission.admit();
        return this.counted(principal.userId, address, place);
      });
    } catch (error) {
      admission.refuse(error);
      throw error;
    } finally {
      this.running.delete(checkout);
    }
  }

  /** Runs `work` after every earlier attempt of the account has ended (this process's queue per account). */
  private async oneAtATime<T>(userId: string, work: () => Promise<T>): Promise<T> {
    const before = this.accountTurns.get(userId) ?? Promise.resolve();
    const across = this.limits.acrossReplicas;
    const turn = before.then(across ? () => across(userId, work) : work);
    const settled = turn.then(() => undefined, () => undefined);
    this.accountTurns.set(userId, settled);
    try {
      return await turn;
    } finally {
      if (this.accountTurns.get(userId) === settled) this.accountTurns.delete(userId);
    }
  }

  /** Runs an admitted checkout and counts it against the account and the address if it ended declined (once per order). */
  private async counted(userId: string, address: string, place: () => Promise<CheckoutOutcome>): Promise<CheckoutOutcome> {
    const outcome = await place();
    if (outcome.ending === "PAYMENT_FAILED" && this.firstCount(outcome.order.id)) {
      await Promise.all([this.perAccount.hit(userId), this.perAddress.hit(address)]);
    }
    return outcome;
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
