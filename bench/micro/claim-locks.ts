// What the advisory-lock round trips of a checkout on PostgreSQL cost. A checkout there takes its
// order's claim (CheckoutClaims: SessionLocks.whileHolding, pg_try_advisory_lock + pg_advisory_unlock)
// and the account's declines turn (SessionLocks.inTurn: the same two when the lock is free), each a
// "pair" of round trips on the module's one lock connection. Drives real SessionLocks against a real
// server (its own, as the other PostgreSQL benches, or --url with --postmaster), with work that does
// nothing, at 1 and at 32 concurrent claimers sharing one SessionLocks as a process's checkouts do.
// Per pair: wall time p50/p99, this process's CPU and the server's (all its processes, from /proc).
// Then whole checkouts for comparison, one customer at a time (add, add, POST /api/orders) on the
// all-in-one shop over the same server: their CPU (shop + server) and latency, claims included; and
// per checkout (2 pairs) the locks' fraction of that and of bench/README.md's loaded PostgreSQL rows.
//   bun bench/micro/claim-locks.ts [--pairs N] [--seconds N] [--claimers 1,32] [--checkouts N|0] [--json]
//   bun bench/micro/claim-locks.ts --url postgres://… --postmaster PID     # an existing database
import { SQL } from "bun";
import { lockKey, SessionLocks } from "../../src/platform/db/postgres/session-locks";
import { processCpuSeconds } from "../lib/cpu";
import { startBenchPostgres } from "../lib/postgres-for-bench";
import { percentile } from "../lib/percentile";
import { measurePostgresCpu } from "../lib/postgres-usage";
import { prepareShop } from "../lib/prepare";
import { flagValue, wholeFlag } from "../lib/flags";
import { startShop } from "../lib/shops";

const argv = process.argv.slice(2);
const option = (name: string) => flagValue(argv, name);
const whole = (name: string, fallback: number, max: number) => wholeFlag(argv, name, fallback, max);
/** Pairs measured per concurrency (after a warm-up), and the most seconds each may take: whichever ends first. */
const PAIRS = whole("pairs", 30_000, 1_000_000);
const SECONDS = whole("seconds", 10, 600);
const WARMUP = Math.min(500, PAIRS);
const CLAIMERS = (option("claimers") ?? "1,32").split(",").map((n) => {
  const value = Number(n);
  if (!Number.isInteger(value) || value < 1 || value > 256) throw new Error("--claimers: whole numbers from 1 to 256, comma-separated");
  return value;
});
const CHECKOUTS = option("checkouts") === "0" ? 0 : whole("checkouts", 200, 10_000);
const JSON_OUT = argv.includes("--json");

/**
 * A whole checkout on PostgreSQL, from bench/README.md ("The shop on PostgreSQL", run of 2026-12-01
 * 00:34 UTC, before the claims existed): all-in-one, 242 checkouts/s (add, add, POST /api/orders)
 * with the shop at 60% and the server at 87% of a core, p99 155 ms; split with Kafka, 84/s at
 * 88% + 40%, p99 666 ms. CPU per checkout = busy share / rate.
 */
const LOADED_CHECKOUT = {
  "all-in-one": { cpuMs: ((0.6 + 0.87) / 242) * 1000, p99Ms: 155 },
  split: { cpuMs: ((0.88 + 0.4) / 84) * 1000, p99Ms: 666 },
};
const PAIRS_PER_CHECKOUT = 2; // the order's claim, the account's declines turn

const selfCpuSeconds = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};

interface Row {
  claimers: number;
  pairs: number;
  pairsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  selfCpuMsPerPair: number;
  serverCpuMsPerPair: number;
}

async function measure(locks: SessionLocks, postmaster: number, claimers: number, run: string): Promise<Row> {
  let next = 0;
  const took: number[] = [];
  // Each pair on a key of its own, as each checkout claims its own order.
  const pair = async (i: number) => {
    const claimed = await locks.whileHolding(lockKey("checkout", `${run}-${claimers}-${i}`), async () => true);
    if (!claimed.ran) throw new Error("a free lock was refused");
  };
  for (let i = 0; i < WARMUP; i++) await pair(-i - 1);

  const deadline = performance.now() + SECONDS * 1000;
  const [self0, server, t0] = [selfCpuSeconds(), measurePostgresCpu(postmaster), performance.now()];
  await Promise.all(
    Array.from({ length: claimers }, async () => {
      while (next < PAIRS && performance.now() < deadline) {
        const i = next++;
        const started = performance.now();
        await pair(i);
        took.push(performance.now() - started);
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const [self1, serverSeconds] = [selfCpuSeconds(), server.stop()];
  took.sort((a, b) => a - b);
  return {
    claimers,
    pairs: took.length,
    pairsPerSecond: took.length / seconds,
    p50Ms: percentile(took, 50),
    p99Ms: percentile(took, 99),
    selfCpuMsPerPair: ((self1 - self0) * 1000) / took.length,
    serverCpuMsPerPair: (serverSeconds * 1000) / took.length,
  };
}

interface Checkouts {
  checkouts: number;
  cpuMsPerCheckout: number;
  shopCpuMsPerCheckout: number;
  p50Ms: number;
  p99Ms: number;
  orderP50Ms: number;
}

/** Whole checkouts one after another on the all-in-one shop over `url` (its claims and declines turn included). */
async function measureCheckouts(url: string, postmaster: number): Promise<Checkouts> {
  const shop = await startShop("all", url);
  try {
    const [line] = (await prepareShop(shop.url, { customers: 1, runId: Date.now().toString(36) })).customerLines;
    const [token, a, b] = line!.split(" ");
    const post = async (path: string, body: unknown, extra: Record<string, string> = {}) => {
      const res = await fetch(shop.url + path, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${token}`, ...extra }, body: JSON.stringify(body) });
      if (res.status !== 201) throw new Error(`${path} -> ${res.status}: ${await res.text()}`);
    };
    const orderMs: number[] = [];
    const checkout = async (i: number) => {
      await post("/api/cart/items", { productId: a, quantity: 1 });
      await post("/api/cart/items", { productId: b, quantity: 1 });
      const started = performance.now();
      await post("/api/orders", { cardNumber: "4242424242424242" }, { "idempotency-key": `claims-${i}` });
      orderMs.push(performance.now() - started);
    };
    for (let i = 0; i < 20; i++) await checkout(-i - 1); // warm-up: lazily prepared statements
    orderMs.length = 0;
    const took: number[] = [];
    const pid = shop.pidsByName["all-in-one"]!;
    const [shop0, server] = [processCpuSeconds(pid), measurePostgresCpu(postmaster)];
    for (let i = 0; i < CHECKOUTS; i++) {
      const started = performance.now();
      await checkout(i);
      took.push(performance.now() - started);
    }
    const [shop1, serverSeconds] = [processCpuSeconds(pid), server.stop()];
    took.sort((x, y) => x - y);
    orderMs.sort((x, y) => x - y);
    return {
      checkouts: CHECKOUTS,
      cpuMsPerCheckout: ((shop1 - shop0 + serverSeconds) * 1000) / CHECKOUTS,
      shopCpuMsPerCheckout: ((shop1 - shop0) * 1000) / CHECKOUTS,
      p50Ms: percentile(took, 50),
      p99Ms: percentile(took, 99),
      orderP50Ms: percentile(orderMs, 50),
    };
  } finally {
    await shop.stop();
  }
}

const given = option("url");
if (given && !option("postmaster")) throw new Error("--url needs --postmaster PID (the server whose CPU to count)");
const bench = given ? undefined : await startBenchPostgres();
const url = given ?? (await bench!.database("claim_locks"));
const postmaster = given ? whole("postmaster", 0, 4_194_304) : bench!.server.pid;
const locks = new SessionLocks(url, "bench claim-locks");
const rows: Row[] = [];
let checkouts: Checkouts | undefined;
try {
  const run = Date.now().toString(36);
  for (const claimers of CLAIMERS) rows.push(await measure(locks, postmaster, claimers, run));
  // Nothing left held in this database: every pair unlocked what it took.
  const check = new SQL({ url, max: 1 });
  const [{ held }] = await check`SELECT count(*)::int AS held FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`;
  await check.close();
  if (held !== 0) throw new Error(`${held} advisory locks still held after the run`);
  if (CHECKOUTS) checkouts = await measureCheckouts(url, postmaster);
} finally {
  await locks.close();
  await bench?.stop();
}

if (JSON_OUT) console.log(JSON.stringify({ rows, checkouts, loadedCheckout: LOADED_CHECKOUT, pairsPerCheckout: PAIRS_PER_CHECKOUT }));
else {
  const f = (n: number, digits = 3) => n.toFixed(digits);
  const pct = (part: number, of: number) => `${((part / of) * 100).toFixed(1)}%`;
  const alone = checkouts ? " alone (measured) /" : "";
  console.log(`claimers | pairs | pairs/s | p50 ms | p99 ms | bun CPU ms/pair | pg CPU ms/pair | per checkout (2 pairs): CPU ms, % of a checkout's CPU${alone} loaded all-in-one / split | 2 × p50 ms, % of a checkout's${checkouts ? " p50 alone /" : ""} loaded all-in-one p99`);
  console.log("--- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---");
  for (const r of rows) {
    const cpu = (r.selfCpuMsPerPair + r.serverCpuMsPerPair) * PAIRS_PER_CHECKOUT;
    const wall = r.p50Ms * PAIRS_PER_CHECKOUT;
    const cpuOf = [...(checkouts ? [checkouts.cpuMsPerCheckout] : []), LOADED_CHECKOUT["all-in-one"].cpuMs, LOADED_CHECKOUT.split.cpuMs].map((c) => pct(cpu, c)).join(" / ");
    const wallOf = [...(checkouts ? [checkouts.p50Ms] : []), LOADED_CHECKOUT["all-in-one"].p99Ms].map((c) => pct(wall, c)).join(" / ");
    console.log(
      `${r.claimers} | ${r.pairs} | ${r.pairsPerSecond.toFixed(0)} | ${f(r.p50Ms)} | ${f(r.p99Ms)} | ${f(r.selfCpuMsPerPair)} | ${f(r.serverCpuMsPerPair)} | ${f(cpu)}, ${cpuOf} | ${f(wall)}, ${wallOf}`,
    );
  }
  if (checkouts) {
    console.log(
      `checkouts alone (${checkouts.checkouts}, add + add + POST /api/orders, all-in-one on this server): ${f(checkouts.cpuMsPerCheckout, 2)} ms CPU each (shop ${f(checkouts.shopCpuMsPerCheckout, 2)}), p50 ${f(checkouts.p50Ms, 1)} ms, p99 ${f(checkouts.p99Ms, 1)} ms (POST /api/orders p50 ${f(checkouts.orderP50Ms, 1)} ms)`,
    );
  }
  console.log(`loaded checkouts (bench/README.md, 64 connections, before the claims): all-in-one ${f(LOADED_CHECKOUT["all-in-one"].cpuMs, 2)} ms CPU, p99 ${LOADED_CHECKOUT["all-in-one"].p99Ms} ms; split ${f(LOADED_CHECKOUT.split.cpuMs, 2)} ms CPU, p99 ${LOADED_CHECKOUT.split.p99Ms} ms`);
}
