import { AppError } from "../errors";
import { throttledRequests } from "../observability/metrics";
import type { ThrottleRule } from "./rate-limiter";

/** A 429 with Retry-After, a code the client can act on, and the rule that refused it. */
export class ThrottledError extends AppError {
  constructor(code: string, reason: string, rule: ThrottleRule, retryAfterSeconds: number) {
    super(429, code, `${reason}; try again in ${retryAfterSeconds} s`, { rule: rule.name, retryAfterSeconds });
    this.headers = { "retry-after": String(retryAfterSeconds) };
  }
}

/** Builds the refusal and counts it in shop_throttled_total{rule}. */
export function throttled(code: string, reason: string, rule: ThrottleRule, retryAfterSeconds: number): ThrottledError {
  throttledRequests.inc({ rule: rule.name });
  return new ThrottledError(code, reason, rule, retryAfterSeconds);
}
