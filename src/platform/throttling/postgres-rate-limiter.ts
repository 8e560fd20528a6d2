import type { SQL } from "bun";
import type { RateLimiter, RateLimiterFactory, ThrottleRule, Verdict } from "./rate-limiter";

type Row = { count: number; closesMs: number };
const RETURNING = `RETURNING count, (extract(epoch FROM closes_at) * 1000)::float8 AS "closesMs"`;

// A window opens at a key's first hit and closes `windowSeconds` later; a hit on a closed window
// opens a new one. One statement, so parallel hits from any number of replicas are each counted.
const HIT = `INSERT INTO rate_limits AS r (rule, key, count, closes_at) VALUES ($1, $2, 1, $4::timestamptz)
  ON CONFLICT (rule, key) DO UPDATE SET
    count = CASE WHEN r.closes_at <= $3::timestamptz THEN 1 ELSE r.count + 1 END,
    closes_at = CASE WHEN r.closes_at <= $3::timestamptz THEN $4::timestamptz ELSE r.closes_at END
  ${RETURNING}`;
const CHECK = `SELECT count, (extract(epoch FROM closes_at) * 1000)::float8 AS "closesMs" FROM rate_limits WHERE rule = $1 AND key = $2 AND closes_at > $3::timestamptz`;
const RELEASE = `UPDATE rate_limits SET count = count - 1 WHERE rule = $1 AND key = $2 AND closes_at > $3::timestamptz AND count > 0`;
const RESET = `DELETE FROM rate_limits WHERE rule = $1 AND key = $2`;
const PRUNE = `DELETE FROM rate_limits WHERE rule = $1 AND closes_at <= $2::timestamptz`;

/** Closed windows are deleted every this many hits of a limiter (the table holds the open ones, and a few). */
const PRUNE_EVERY = 1000;

/**
 * The counts in the `rate_limits` table of a PostgreSQL database (rate-limits-postgres-schema.ts),
 * so every replica on that database counts against the same windows: what a limit means with
 * several replicas. The same rules as MemoryRateLimiter (the cases in rate-limiter.test.ts), one
 * statement per call. Time is the caller's clock (replicas' clocks agree to well under a second).
 */
export class PostgresRateLimiter implements RateLimiter {
  private hits = 0;

  constructor(
    private readonly sql: SQL,
    readonly rule: ThrottleRule,
    private readonly now: () => number = Date.now,
  ) {}

  async hit(key: string): Promise<Verdict> {
    const now = this.now();
    if (++this.hits % PRUNE_EVERY === 0) await this.sql.unsafe(PRUNE, [this.rule.name, iso(now)]);
    const [row]: Row[] = await this.sql.unsafe(HIT, [this.rule.name, key, iso(now), iso(now + this.rule.windowSeconds * 1000)]);
    return verdict(row!, row!.count <= this.rule.limit, now);
  }

  async check(key: string): Promise<Verdict> {
    const now = this.now();
    const [row]: Row[] = await this.sql.unsafe(CHECK, [this.rule.name, key, iso(now)]);
    return row ? verdict(row, row.count < this.rule.limit, now) : { allowed: true, retryAfterSeconds: 0 };
  }

  async release(key: string): Promise<void> {
    await this.sql.unsafe(RELEASE, [this.rule.name, key, iso(this.now())]);
  }

  async reset(key: string): Promise<void> {
    await this.sql.unsafe(RESET, [this.rule.name, key]);
  }
}

const iso = (ms: number) => new Date(ms).toISOString();
const verdict = (row: Row, allowed: boolean, now: number): Verdict => ({ allowed, retryAfterSeconds: Math.max(1, Math.ceil((row.closesMs - now) / 1000)) });

/** Limiters counting in `sql`'s database (its search_path's `rate_limits`): for a module or identity on PostgreSQL. */
export const postgresRateLimiters =
  (sql: SQL): RateLimiterFactory =>
  (rule) =>
    new PostgresRateLimiter(sql, rule);
