import type { RateLimiter, ThrottleRule, Verdict } from "./rate-limiter";

interface Window {
  count: number;
  closesAt: number;
}

/**
 * The counts of one process: right for all-in-one and for one replica per service. Fixed
 * windows that open at a key's first attempt; closed windows are dropped as the map is used, and
 * the map is bounded (a flood of distinct keys evicts the oldest windows, never grows memory).
 */
export class MemoryRateLimiter implements RateLimiter {
  private readonly windows = new Map<string, Window>();
  private hitsSinceSweep = 0;

  constructor(
    readonly rule: ThrottleRule,
    private readonly now: () => number = Date.now,
    private readonly maxKeys = 100_000,
  ) {}

  async hit(key: string): Promise<Verdict> {
    const now = this.now();
    let window = this.open(key, now);
    if (!window) {
      this.makeRoom(now);
      window = { count: 0, closesAt: now + this.rule.windowSeconds * 1000 };
      this.windows.set(key, window);
    }
    window.count++;
    return this.verdict(window, window.count <= this.rule.limit, now);
  }

  async check(key: string): Promise<Verdict> {
    const now = this.now();
    const window = this.open(key, now);
    return window ? this.verdict(window, window.count < this.rule.limit, now) : { allowed: true, retryAfterSeconds: 0 };
  }

  async release(key: string): Promise<void> {
    const window = this.open(key, this.now());
    if (window && window.count > 0) window.count--;
  }

  async reset(key: string): Promise<void> {
    this.windows.delete(key);
  }

  /** The key's window while it is open; a closed one is dropped. */
  private open(key: string, now: number): Window | undefined {
    const window = this.windows.get(key);
    if (window && window.closesAt <= now) {
      this.windows.delete(key);
      return undefined;
    }
    return window;
  }

  private verdict(window: Window, allowed: boolean, now: number): Verdict {
    return { allowed, retryAfterSeconds: Math.max(1, Math.ceil((window.closesAt - now) / 1000)) };
  }

  private makeRoom(now: number): void {
    if (++this.hitsSinceSweep >= 1000 || this.windows.size >= this.maxKeys) {
      this.hitsSinceSweep = 0;
      for (const [key, window] of this.windows) if (window.closesAt <= now) this.windows.delete(key);
    }
    // Still full: the oldest windows go first (a Map iterates in insertion order).
    for (const key of this.windows.keys()) {
      if (this.windows.size < this.maxKeys) break;
      this.windows.delete(key);
    }
  }
}

export const memoryRateLimiters = (rule: ThrottleRule): RateLimiter => new MemoryRateLimiter(rule);
