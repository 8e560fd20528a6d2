// What every RateLimiter must do, run against the in-memory one and the PostgreSQL one (several
// replicas counting in one table). A clock the test moves: windows of minutes, no waiting.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { openPostgresDatabase, type PostgresDatabase } from "../../src/platform/db/postgres/open-postgres";
import { MemoryRateLimiter } from "../../src/platform/throttling/memory-rate-limiter";
import { PostgresRateLimiter } from "../../src/platform/throttling/postgres-rate-limiter";
import type { RateLimiter, ThrottleRule } from "../../src/platform/throttling/rate-limiter";
import { MODULE_DATABASES } from "../postgres/module-databases";
import { freshDatabase, POSTGRES_START_TIMEOUT_MS } from "../support/postgres";

const rule: ThrottleRule = { name: "test_rule", limit: 3, windowSeconds: 60 };

function rateLimiterContract(name: string, make: (rule: ThrottleRule, now: () => number) => RateLimiter) {
  describe(name, () => {
    let clock = 1_000_000;
    const limiter = () => make(rule, () => clock);

    test("allows `limit` hits per key in a window, then refuses with the seconds left", async () => {
      const l = limiter();
      for (let i = 1; i <= 3; i++) expect((await l.hit("a")).allowed).toBe(true);
      clock += 20_500;
      expect(await l.hit("a")).toEqual({ allowed: false, retryAfterSeconds: 40 });
      expect(await l.check("a")).toEqual({ allowed: false, retryAfterSeconds: 40 });
      expect((await l.hit("b")).allowed).toBe(true); // keys are apart
    });

    test("a window closes on time and the key starts again", async () => {
      const l = limiter();
      for (let i = 0; i < 5; i++) await l.hit("a");
      clock += 60_000;
      expect(await l.check("a")).toEqual({ allowed: true, retryAfterSeconds: 0 });
      expect((await l.hit("a")).allowed).toBe(true);
    });

    test("check counts nothing: it says whether one more hit would pass", async () => {
      const l = limiter();
      for (let i = 0; i < 10; i++) expect((await l.check("a")).allowed).toBe(true);
      await l.hit("a");
      await l.hit("a");
      expect((await l.check("a")).allowed).toBe(true);
      await l.hit("a");
      expect((await l.check("a")).allowed).toBe(false);
    });

    test("release takes one hit back; reset forgets them all", async () => {
      const l = limiter();
      for (let i = 0; i < 3; i++) await l.hit("a");
      await l.release("a");
      expect((await l.hit("a")).allowed).toBe(true);
      expect((await l.hit("a")).allowed).toBe(false);
      await l.reset("a");
      expect((await l.check("a")).allowed).toBe(true);
      await l.release("nobody"); // nothing to take back: no error, no window
      expect((await l.check("nobody")).allowed).toBe(true);
    });

    test("parallel hits are all counted", async () => {
      const l = limiter();
      const verdicts = await Promise.all(Array.from({ length: 20 }, () => l.hit("a")));
      expect(verdicts.filter((v) => v.allowed).length).toBe(3);
    });
  });
}

rateLimiterContract("in-memory rate limiter", (r, now) => new MemoryRateLimiter(r, now));

// The identity database's table, as the gateway's replicas share it; each limiter a rule of its own (a fresh table per case).
let identity: PostgresDatabase;
beforeAll(async () => {
  const folder = MODULE_DATABASES.find((m) => m.module === "identity")!.postgresFolder;
  identity = await openPostgresDatabase({ engine: "postgres", url: await freshDatabase("rate_limiter"), variable: "DATABASE_URL", schema: "identity" }, { migrationsFolder: folder, max: 4 });
}, POSTGRES_START_TIMEOUT_MS);
afterAll(() => identity?.close());
let rules = 0;
rateLimiterContract("PostgreSQL rate limiter", (r, now) => new PostgresRateLimiter(identity.sql, { ...r, name: `${r.name}_${++rules}` }, now));

test("two replicas' limiters on one database count against the same window", async () => {
  const rule: ThrottleRule = { name: "shared_rule", limit: 5, windowSeconds: 60 };
  const [a, b] = [new PostgresRateLimiter(identity.sql, rule), new PostgresRateLimiter(identity.sql, rule)];
  const verdicts = await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 ? a : b).hit("shared-key")));
  expect(verdicts.filter((v) => v.allowed).length).toBe(5);
  expect((await a.check("shared-key")).allowed).toBe(false);
});

test("the in-memory limiter stays bounded under a flood of distinct keys, dropping the oldest windows", async () => {
  const l = new MemoryRateLimiter(rule, Date.now, 1000);
  for (let i = 0; i < 5000; i++) await l.hit(`key-${i}`);
  expect((l as unknown as { windows: Map<string, unknown> }).windows.size).toBeLessThanOrEqual(1000);
  for (let i = 0; i < 3; i++) await l.hit("key-4999");
  expect((await l.hit("key-4999")).allowed).toBe(false); // the newest keys are still counted
});
