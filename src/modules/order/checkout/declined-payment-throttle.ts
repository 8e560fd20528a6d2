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

const DECLINED = 402;

/**
 * Card testing: a customer whose checkouts keep being declined, or an address doing so across
 * accounts, is stopped (429) before another card is tried. Per account, a checkout is counted as
 * it starts (so parallel ones cannot slip past the limit) and taken back unless it was declined.
 * Per address only declines count: checkouts already in flight when the limit is reached finish,
 * and the many customers behind one address who pay are never stopped by it.
 */
export class DeclinedPaymentThrottle {
  private readonly perAccount: RateLimiter;
  private readonly perAddress: RateLimiter;

  constructor(private readonly limits: DeclinedPaymentLimits) {
    this.perAccount = limits.limiterFor(limits.perAccount);
    this.perAddress = limits.limiterFor(limits.perAddress);
  }

  async around(principal: Principal, request: Request, server: RequestIpSource | null, place: () => Promise<CheckoutOutcome>): Promise<CheckoutOutcome> {
    const address = this.limits.addresses.of(request, server);
    const fromAddress = await this.perAddress.check(address);
    if (!fromAddress.allowed) throw this.refusal("from this address", this.perAddress, fromAddress.retryAfterSeconds);
    const forAccount = await this.perAccount.hit(principal.userId);
    if (!forAccount.allowed) throw this.refusal("for this account", this.perAccount, forAccount.retryAfterSeconds);
    let declined = false;
    try {
      const outcome = await place();
      declined = outcome.status === DECLINED;
      return outcome;
    } finally {
      if (declined) await this.perAddress.hit(address);
      else await this.perAccount.release(principal.userId);
    }
  }

  private refusal(where: string, limiter: RateLimiter, retryAfterSeconds: number) {
    return throttled("TOO_MANY_DECLINED_PAYMENTS", `Too many declined payments ${where}; no card is tried`, limiter.rule, retryAfterSeconds);
  }
}
