import type { RateLimiter } from "../throttling/rate-limiter";
import { throttled } from "../throttling/throttled-error";
import { usernameKey } from "./accounts";

export interface SignInLimiters {
  /** Sign-in attempts per account (every attempt is counted up front; a correct password clears them). */
  perAccount: RateLimiter;
  /** Failed sign-ins per client address. */
  perAddress: RateLimiter;
  /** Registrations per client address (every attempt). */
  registrationsPerAddress: RateLimiter;
}

export interface SignInAttempt {
  succeeded(): Promise<void>;
  failed(): Promise<void>;
}

/**
 * Password guessing and mass sign-ups. Per account, each attempt is counted before the password
 * is checked, so parallel guesses cannot slip past the limit, and a locked account refuses even
 * the right password until its window closes. Per address only failures count (a looser limit):
 * many customers behind one address who sign in correctly are never stopped by it.
 */
export class SignInThrottle {
  constructor(private readonly limiters: SignInLimiters) {}

  /** Throws 429 when this account or this address may not try now. */
  async attempt(username: string, address: string): Promise<SignInAttempt> {
    const { perAccount, perAddress } = this.limiters;
    const fromAddress = await perAddress.check(address);
    if (!fromAddress.allowed) throw throttled("TOO_MANY_ATTEMPTS", "Too many failed sign-ins from this address", perAddress.rule, fromAddress.retryAfterSeconds);
    const account = usernameKey(username);
    const forAccount = await perAccount.hit(account);
    if (!forAccount.allowed) throw throttled("TOO_MANY_ATTEMPTS", "Too many failed sign-ins for this account", perAccount.rule, forAccount.retryAfterSeconds);
    return {
      succeeded: () => perAccount.reset(account),
      failed: async () => void (await perAddress.hit(address)),
    };
  }

  /** Throws 429 when this address registered too often; counts the attempt otherwise. */
  async registration(address: string): Promise<void> {
    const { registrationsPerAddress: limiter } = this.limiters;
    const verdict = await limiter.hit(address);
    if (!verdict.allowed) throw throttled("TOO_MANY_REGISTRATIONS", "Too many registrations from this address", limiter.rule, verdict.retryAfterSeconds);
  }
}
