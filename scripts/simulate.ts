// Realistic shopping traffic against a running shop, to watch the operators' dashboard move.
//
//   npm run simulate -- [--orders 50] [--seconds 60] [--concurrency 3] [--customers new|demo] [--seed 42]
//   BASE_URL (default http://127.0.0.1:$PORT, PORT 3000: where `npm start` and `npm run split` listen)
//
// The orders are paced over the time asked: `--orders 50 --seconds 60` starts one about every 1.2 s
// for a minute. Each worker is one customer (freshly registered, or alice/bob with --customers demo):
// it browses the catalog, puts 1-3 in-stock products in its cart, checks out (mostly card 4242,
// sometimes the declined 0002 or the insufficient-funds 9995) and now and then cancels a paid order.
// Every loop is bounded by the order count, the deadline and per-request timeouts; a summary is
// printed at the end, and the exit code is 1 if any request got an answer the shop should not give.
import { parseArgs } from "node:util";
import type { Product } from "../src/modules/catalog/contract";
import type { Order } from "../src/modules/order/contract";

const CARDS = {
  ok: "4242424242424242",
  declined: "4000000000000002",
  insufficient: "4000000000009995",
} as const;

export interface Options {
  baseUrl: string;
  orders: number;
  seconds: number;
  concurrency: number;
  customers: "new" | "demo";
  cancelRate: number;
  seed: number;
}

interface Summary {
  attempted: number;
  paid: number;
  declined: number;
  outOfStock: number;
  pending: number;
  cancelled: number;
  /** Checkouts refused with 429: the shop's declined-payment limits (THROTTLE_DECLINED_*) stopped this address or customer. */
  throttled: number;
  errors: number;
  revenueByCurrency: Record<string, number>;
  errorSamples: string[];
}

class HttpError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly body: unknown) {
    super(message);
  }
}

const REQUEST_TIMEOUT_MS = 10_000;

/** Small seeded PRNG (mulberry32) so a run can be repeated with --seed. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      orders: { type: "string", default: "50" },
      seconds: { type: "string", default: "60" },
      concurrency: { type: "string", default: "3" },
      customers: { type: "string", default: "new" },
      "cancel-rate": { type: "string", default: "0.1" },
      seed: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(
      [
        "Usage: npm run simulate -- [--orders N] [--seconds S] [--concurrency C] [--customers new|demo] [--cancel-rate 0..1] [--seed N]",
        "  --orders       checkouts to place (default 50), paced evenly over --seconds",
        "  --seconds      length of the run (default 60)",
        "  --concurrency  customers shopping at once (default 3)",
        "  --customers    new: register one per worker (default); demo: alice and bob",
        "  --cancel-rate  share of paid orders cancelled again (default 0.1)",
        "  --seed         repeat a run's choices",
        "BASE_URL: the shop (default http://127.0.0.1:$PORT, PORT 3000)",
      ].join("\n"),
    );
    process.exit(0);
  }
  const int = (name: string, raw: string, min: number, max: number) => {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) throw new Error(`--${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
    return n;
  };
  const customers = values.customers;
  if (customers !== "new" && customers !== "demo") throw new Error(`--customers must be "new" or "demo", got "${customers}"`);
  const cancelRate = Number(values["cancel-rate"]);
  if (!(cancelRate >= 0 && cancelRate <= 1)) throw new Error(`--cancel-rate must be between 0 and 1, got "${values["cancel-rate"]}"`);
  const baseUrl = (process.env.BASE_URL || `http://127.0.0.1:${process.env.PORT || 3000}`).replace(/\/+$/, "");
  try {
    new URL(baseUrl);
  } catch {
    throw new Error(`BASE_URL must be a URL, got "${baseUrl}"`);
  }
  return {
    baseUrl,
    orders: int("orders", values.orders!, 1, 100_000),
    seconds: int("seconds", values.seconds!, 1, 24 * 3600),
    concurrency: int("concurrency", values.concurrency!, 1, 32),
    customers,
    cancelRate,
    seed: values.seed === undefined ? Date.now() % 2 ** 31 : int("seed", values.seed, 0, 2 ** 31 - 1),
  };
}

function client(baseUrl: string) {
  return async function call<T>(method: string, path: string, opts: { token?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<{ status: number; body: T }> {
    const headers: Record<string, string> = { accept: "application/json", ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (opts.body !== undefined) headers["content-type"] = "application/json";
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const text = await res.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
    return { status: res.status, body: body as T };
  };
}

type Call = ReturnType<typeof client>;

function fail(method: string, path: string, status: number, body: unknown): never {
  const err = (body as { error?: { code?: string; message?: string } } | undefined)?.error;
  throw new HttpError(status, err?.code ?? `HTTP_${status}`, `${method} ${path} -> ${status} ${err?.code ?? ""} ${err?.message ?? ""}`.trim(), body);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitUntilReady(call: Call, deadline: number): Promise<void> {
  let last = "";
  for (let i = 0; i < 40 && Date.now() < deadline; i++) {
    try {
      const { status } = await call("GET", "/health/ready");
      if (status === 200) return;
      last = `status ${status}`;
    } catch (e) {
      last = (e as Error).message;
    }
    await sleep(250);
  }
  throw new Error(`the shop is not ready (${last || "timed out"})`);
}

async function signIn(call: Call, username: string, password: string): Promise<string> {
  const res = await call<{ token: string }>("POST", "/api/auth/token", { body: { username, password } });
  if (res.status !== 200) fail("POST", "/api/auth/token", res.status, res.body);
  return res.body.token;
}

/** A new customer per worker (falls back to signing in if the name is taken). */
async function newCustomer(call: Call, runId: string, index: number): Promise<{ username: string; token: string }> {
  const username = `sim_${runId}_${index}`;
  const password = `sim-password-${runId}`;
  const res = await call("POST", "/api/auth/register", { body: { username, password } });
  if (res.status !== 201 && res.status !== 409) fail("POST", "/api/auth/register", res.status, res.body);
  return { username, token: await signIn(call, username, password) };
}

async function demoCustomer(call: Call, index: number): Promise<{ username: string; token: string }> {
  const demo = [
    { username: "alice", password: process.env.DEMO_ALICE_PASSWORD || "alice-password" },
    { username: "bob", password: process.env.DEMO_BOB_PASSWORD || "bob-password" },
  ][index % 2]!;
  return { username: demo.username, token: await signIn(call, demo.username, demo.password) };
}

/** Browses like a person: the first page, sometimes a category or a search, at most 3 pages in all. */
async function browse(call: Call, random: () => number): Promise<Product[]> {
  const seen = new Map<string, Product>();
  let cursor: string | null = null;
  const params = new URLSearchParams({ limit: "24" });
  for (let page = 0; page < 3; page++) {
    if (cursor) params.set("cursor", cursor);
    const path = `/api/products?${params}`;
    const res = await call<{ items: Product[]; nextCursor: string | null }>("GET", path);
    if (res.status !== 200) fail("GET", path, res.status, res.body);
    for (const p of res.body.items) seen.set(p.id, p);
    cursor = res.body.nextCursor;
    if (!cursor || random() < 0.5) break;
  }
  // Now and then narrow down to one category, like a shopper would.
  const categories = [...new Set([...seen.values()].map((p) => p.category))];
  if (categories.length > 1 && random() < 0.3) {
    const category = categories[Math.floor(random() * categories.length)]!;
    const path = `/api/products?${new URLSearchParams({ limit: "24", category })}`;
    const res = await call<{ items: Product[] }>("GET", path);
    if (res.status === 200 && res.body.items.some((p) => p.stock > 0)) return res.body.items;
  }
  return [...seen.values()];
}

function pickCard(random: () => number): string {
  const r = random();
  return r < 0.8 ? CARDS.ok : r < 0.9 ? CARDS.declined : CARDS.insufficient;
}

async function shopOnce(call: Call, token: string, random: () => number, opts: Options, summary: Summary): Promise<void> {
  const products = (await browse(call, random)).filter((p) => p.stock > 0);
  if (products.length === 0) throw new Error("no product in stock");

  // Start from an empty cart (a declined checkout leaves the cart as it was).
  const cleared = await call("DELETE", "/api/cart", { token });
  if (cleared.status >= 400 && cleared.status !== 404) fail("DELETE", "/api/cart", cleared.status, cleared.body);

  const lines = 1 + Math.floor(random() * 3);
  const picked = new Set<string>();
  for (let i = 0; i < lines * 3 && picked.size < lines; i++) {
    const product = products[Math.floor(random() * products.length)]!;
    if (picked.has(product.id)) continue;
    const quantity = Math.max(1, Math.min(product.stock, 1 + Math.floor(random() * 2)));
    const res = await call("POST", "/api/cart/items", { token, body: { productId: product.id, quantity } });
    if (res.status === 409 || res.status === 422) continue; // sold out meanwhile: pick another
    if (res.status >= 400) fail("POST", "/api/cart/items", res.status, res.body);
    picked.add(product.id);
  }
  if (picked.size === 0) throw new Error("could not add anything to the cart");

  summary.attempted++;
  const res = await call<Order>("POST", "/api/orders", {
    token,
    body: { cardNumber: pickCard(random) },
    headers: { "idempotency-key": crypto.randomUUID() },
  });
  const order = res.body;
  switch (res.status) {
    case 201:
      summary.paid++;
      summary.revenueByCurrency[order.currency] = (summary.revenueByCurrency[order.currency] ?? 0) + order.totalCents;
      if (random() < opts.cancelRate) {
        await sleep(Math.floor(random() * 1500));
        const cancel = await call<Order>("POST", `/api/orders/${encodeURIComponent(order.id)}/cancel`, { token });
        if (cancel.status === 200) {
          summary.cancelled++;
          summary.revenueByCurrency[order.currency]! -= order.totalCents;
        } else if (cancel.status !== 409) {
          fail("POST", "/api/orders/:id/cancel", cancel.status, cancel.body);
        }
      }
      return;
    case 202:
      summary.pending++;
      return;
    case 402:
      summary.declined++;
      return;
    case 409:
      summary.outOfStock++;
      return;
    case 429:
      summary.throttled++;
      return;
    default:
      fail("POST", "/api/orders", res.status, res.body);
  }
}

export async function simulate(opts: Options): Promise<Summary> {
  const call = client(opts.baseUrl);
  const started = Date.now();
  const deadline = started + opts.seconds * 1000;
  const summary: Summary = { attempted: 0, paid: 0, declined: 0, outOfStock: 0, pending: 0, cancelled: 0, throttled: 0, errors: 0, revenueByCurrency: {}, errorSamples: [] };

  await waitUntilReady(call, Math.min(deadline, started + 10_000));
  const runId = Math.random().toString(36).slice(2, 8);
  const customers = await Promise.all(
    Array.from({ length: opts.concurrency }, (_, i) => (opts.customers === "demo" ? demoCustomer(call, i) : newCustomer(call, runId, i + 1))),
  );
  console.log(`simulating against ${opts.baseUrl}: ${opts.orders} orders paced over ${opts.seconds}s, ${customers.length} customers (${customers.map((c) => c.username).join(", ")}), seed ${opts.seed}`);

  // Order i is due at i * interval (plus a little jitter) from now: paced over what is left of the run.
  const paceFrom = Date.now();
  const interval = Math.max(0, deadline - paceFrom) / opts.orders;
  let nextSlot = 0;
  let completed = 0;
  const worker = async (index: number) => {
    const { token } = customers[index]!;
    const random = rng(opts.seed + index * 7919);
    let consecutiveErrors = 0;
    // Bounded by the order count, the deadline, and a stop after repeated failures.
    while (nextSlot < opts.orders && consecutiveErrors < 5) {
      const due = paceFrom + (nextSlot++ + 0.8 * random()) * interval;
      if (due >= deadline) break;
      if (due > Date.now()) await sleep(due - Date.now());
      try {
        await shopOnce(call, token, random, opts, summary);
        consecutiveErrors = 0;
      } catch (e) {
        consecutiveErrors++;
        summary.errors++;
        if (summary.errorSamples.length < 5) summary.errorSamples.push((e as Error).message);
      }
      if (++completed % 10 === 0) console.log(`  ${completed} done: ${summary.paid} paid, ${summary.declined} declined, ${summary.errors} errors`);
    }
  };
  await Promise.all(customers.map((_, i) => worker(i)));

  const seconds = (Date.now() - started) / 1000;
  const revenue = Object.entries(summary.revenueByCurrency)
    .map(([currency, cents]) => {
      const money = new Intl.NumberFormat("en-US", { style: "currency", currency });
      return money.format(cents / 10 ** (money.resolvedOptions().maximumFractionDigits ?? 2));
    })
    .join(", ");
  console.log(
    [
      "",
      `done in ${seconds.toFixed(1)}s`,
      `  checkouts      ${summary.attempted} (${(summary.attempted / Math.max(seconds, 0.001)).toFixed(1)}/s)`,
      `  paid           ${summary.paid}`,
      `  declined       ${summary.declined}`,
      `  out of stock   ${summary.outOfStock}`,
      ...(summary.pending ? [`  pending        ${summary.pending}`] : []),
      `  cancelled      ${summary.cancelled} (of the paid, refunded)`,
      `  net revenue    ${revenue || "0"}`,
      ...(summary.throttled ? [`  throttled      ${summary.throttled} (too many declined payments: raise THROTTLE_DECLINED_PER_* on the shop for long runs)`] : []),
      `  errors         ${summary.errors}`,
      ...summary.errorSamples.map((m) => `    - ${m}`),
    ].join("\n"),
  );
  return summary;
}

if (import.meta.main) {
  let options: Options;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (e) {
    console.error((e as Error).message);
    process.exit(2);
  }
  try {
    const summary = await simulate(options);
    process.exit(summary.errors > 0 ? 1 : 0);
  } catch (e) {
    console.error(`simulate: ${(e as Error).message}`);
    process.exit(1);
  }
}
