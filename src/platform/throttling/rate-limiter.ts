/**
 * Counting attempts per key in a window, behind an interface so the state can move from this
 * process's memory to a database shared by several replicas (issue 15) without any caller
 * changing: every method is async, and no caller may assume the counts live in memory.
 * (A database-backed one keeps a row per rule and key, count and window end, and counts with one
 * `INSERT .. ON CONFLICT DO UPDATE .. RETURNING`, so hits from several replicas are counted exactly;
 * test/platform/rate-limiter.test.ts holds the cases any implementation must pass.)
 */

/** A limit: at most `limit` attempts per key in `windowSeconds` (a window opens at a key's first attempt). */
export interface ThrottleRule {
  /** Stable name, used as the metric label and in error details (e.g. "sign_in_account"). */
  name: string;
  limit: number;
  windowSeconds: number;
}

export interface Verdict {
  /** hit: this attempt is within the limit. check: one more attempt would be. */
  allowed: boolean;
  /** Seconds until the key's window closes (0 when no window is open). */
  retryAfterSeconds: number;
}

export interface RateLimiter {
  readonly rule: ThrottleRule;
  /** Counts one attempt against `key`. */
  hit(key: string): Promise<Verdict>;
  /** Reads without counting. */
  check(key: string): Promise<Verdict>;
  /** Takes back one counted attempt that turned out not to count (it succeeded). */
  release(key: string): Promise<void>;
  /** Forgets every attempt of `key` (e.g. a correct password clears the account's failures). */
  reset(key: string): Promise<void>;
}

/** How an entrypoint chooses where the counts live: one limiter per rule. */
export type RateLimiterFactory = (rule: ThrottleRule) => RateLimiter;
