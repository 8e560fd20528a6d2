// Ceiling for checkouts on PostgreSQL: one checkout's writes (two cart upserts, the idempotency key,
// the order and order.created, the reservation and its lines, the payment and payment.captured, the
// PAID update and order.paid, the cart's lines deleted, its inbox mark and next checkout revision,
// and stock reserved per product by a conditional UPDATE that also appends its stock-changed event)
// as ONE transaction through Bun SQL, with concurrent customers, on the modules' own migrated
// tables (each module's schema in one database, so one transaction can hold them all). No HTTP, no
// ORM, no relay: what the hardware and PostgreSQL allow.
//
//   bun bench/ceiling/postgres-checkout.ts [flags]         starts its own server (scripts/postgres)
//   bun bench/ceiling/postgres-checkout.ts --url URL [--postmaster PID] [flags]   an existing database
//   flags: --statements per-row|per-step  --send sequential|pipelined  --sync on|off  --batch N
//          --savepoints  --clients N  --connections N  --products N  --seconds N  --checkouts N
//          --warmup N  --matrix (the table of bench/README.md)
//
// Prints one JSON line per measured run (bounded by --seconds and --checkouts, whichever comes first).
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { SQL } from "bun";
import { POSTGRES_CACHE, startPostgres, type PostgresServer } from "../../scripts/postgres/server";
import { migratePostgres } from "../../src/platform/db/postgres/migrate";
import { measurePostgres, type ServerUse } from "../lib/postgres-usage";
import { percentile } from "../lib/percentile";

export interface RunOptions {
  /**
   * per-row: a statement per row written (16 per checkout, the two stock updates included).
   * per-step: one statement per module step, change and event together by data-modifying CTEs (9).
   */
  statements: "per-row" | "per-step";
  /** sequential: each statement awaited before the next. pipelined: all sent at once, results checked at the end. */
  send: "sequential" | "pipelined";
  /** Checkouts per transaction (a group commit across customers); 1 = one transaction per checkout. */
  batch: number;
  /**
   * Each checkout of a batch in its own savepoint (SAVEPOINT … RELEASE), what a group commit needs so
   * that one failing unit undoes only its own writes: what that costs. (The batch's stock is still
   * reserved at its end, outside them, in one id order.)
   */
  savepoints: boolean;
  synchronousCommit: "on" | "off";
  /** Customers checking out at the same time (each batch carries `batch` of them). */
  clients: number;
  connections: number;
  products: number;
  seconds: number;
  maxCheckouts: number;
  warmupCheckouts: number;
}

export interface RunResult extends Omit<RunOptions, "seconds" | "maxCheckouts" | "warmupCheckouts"> {
  checkouts: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Deadlocks and other failed transactions, retried or not. */
  failures: number;
  server?: ServerUse;
  /** This driver process (Bun), % of one core. */
  driverCpuPct: number;
}

const MODULES = ["catalog", "cart", "order", "payment"] as const;
const migrationsOf = (m: string) => join(import.meta.dir, "..", "..", "src", "modules", m, "migrations", "postgres");

/** Brings every module's schema in the database to its migrations and stocks `products` products. */
export async function prepare(sql: SQL, products: number): Promise<string[]> {
  for (const m of MODULES) await migratePostgres(sql, { schema: m, folder: migrationsOf(m) });
  const ids = Array.from({ length: products }, (_, i) => `bench-product-${String(i).padStart(4, "0")}`);
  const now = new Date().toISOString();
  for (const [i, id] of ids.entries()) {
    await sql`INSERT INTO catalog.products (id, name, category, price_cents, currency, stock, created_at, updated_at)
              VALUES (${id}, ${`Bench item ${i}`}, 'bench', ${500 + i * 10}, 'EUR', 1000000000, ${now}, ${now})
              ON CONFLICT (id) DO UPDATE SET stock = 1000000000`;
  }
  return ids;
}

interface Checkout {
  user: string;
  revision: number;
  lines: Array<{ productId: string; unitPriceCents: number }>;
  orderId: string;
  key: string;
  paymentId: string;
}

let idCounter = 0;
const runId = Math.random().toString(36).slice(2, 8);
const newId = (kind: string) => `${kind}-${runId}-${(++idCounter).toString(36)}`;

interface Statement {
  what: string;
  run: () => Promise<unknown[]>;
  /** Rows it must return (a claim that found its key taken, stock that is not there: roll back). */
  expect?: number;
}

/** What one checkout writes, with the values both statement styles use. */
function checkoutValues(c: Checkout, now: string) {
  const items = c.lines.map((l) => ({ productId: l.productId, name: "Bench item", unitPriceCents: l.unitPriceCents, quantity: 1, lineTotalCents: l.unitPriceCents }));
  const total = items.reduce((sum, i) => sum + i.lineTotalCents, 0);
  const history = [{ status: "PENDING", at: now }];
  const order = { id: c.orderId, userId: c.user, username: c.user, status: "PENDING", items, totalCents: total, currency: "EUR", history, createdAt: now, updatedAt: now };
  const payment = { id: c.paymentId, orderId: c.orderId, userId: c.user, amountCents: total, currency: "EUR", status: "CAPTURED", cardLast4: "4242", declineReason: null, createdAt: now, updatedAt: now };
  return {
    items,
    total,
    history,
    paidHistory: [...history, { status: "PAID", at: now }],
    orderCreated: JSON.stringify({ order, previousStatus: null }),
    paymentCaptured: JSON.stringify({ payment }),
    orderPaid: JSON.stringify({ order: { ...order, status: "PAID", paymentId: c.paymentId }, previousStatus: "PENDING" }),
    productIds: c.lines.map((l) => l.productId),
  };
}

/**
 * Stock for every line of the transaction, each product by one conditional update that also
 * appends its stock-changed event, never below what is there. In product id order: every
 * transaction locks product rows in the same order, so concurrent ones cannot deadlock (one
 * UPDATE ... FROM a list locks them in the plan's order, which follows where the row versions
 * happen to sit: deadlocks under load). Last in the transaction: hot rows stay locked the least.
 */
function reserveStock(tx: SQL, checkouts: Checkout[], now: string): Statement[] {
  const quantities = new Map<string, number>();
  for (const c of checkouts) for (const l of c.lines) quantities.set(l.productId, (quantities.get(l.productId) ?? 0) + 1);
  return [...quantities].sort(([a], [b]) => a.localeCompare(b)).map(([productId, quantity]) => ({
    what: "reserve stock",
    expect: 1,
    run: () => tx`WITH reserved AS (UPDATE catalog.products SET stock = stock - ${quantity}, updated_at = ${now} WHERE id = ${productId} AND stock >= ${quantity} RETURNING id, stock)
      INSERT INTO catalog.outbox (id, type, aggregate_type, aggregate_id, payload, occurred_at)
      SELECT ${newId("e")}, 'catalog.stock-changed', 'product', id, json_build_object('productId', id, 'stock', stock, 'delta', ${-quantity}::int, 'reason', 'reserved')::text, ${now} FROM reserved
      RETURNING seq`,
  }));
}

const cartAdds = (tx: SQL, c: Checkout, now: string): Statement[] =>
  c.lines.map((line) => ({
    what: "cart add",
    run: () => tx`INSERT INTO cart.cart_items (user_id, product_id, quantity, added_at, updated_at) VALUES (${c.user}, ${line.productId}, 1, ${now}, ${now})
      ON CONFLICT (user_id, product_id) DO UPDATE SET quantity = excluded.quantity, updated_at = excluded.updated_at`,
  }));

/** per-row: one statement per row written, as a repository written step by step would. */
function perRowStatements(tx: SQL, c: Checkout, now: string): Statement[] {
  const v = checkoutValues(c, now);
  const list = (n: number, from = 2) => Array.from({ length: n }, (_, i) => `$${i + from}`).join(", ");
  return [
    { what: "idempotency key", expect: 1, run: () => tx`INSERT INTO "order".idempotency_keys (user_id, key, request_hash, order_id, created_at) VALUES (${c.user}, ${c.key}, ${"f".repeat(64)}, ${c.orderId}, ${now}) ON CONFLICT DO NOTHING RETURNING order_id` },
    { what: "order", run: () => tx`INSERT INTO "order".orders (id, user_id, username, status, items, total_cents, currency, history, cart_revision, created_at, updated_at) VALUES (${c.orderId}, ${c.user}, ${c.user}, 'PENDING', ${v.items}, ${v.total}, 'EUR', ${v.history}, ${c.revision}, ${now}, ${now})` },
    { what: "order.created", run: () => tx`INSERT INTO "order".outbox (id, type, aggregate_type, aggregate_id, payload, occurred_at) VALUES (${newId("e")}, 'order.created', 'order', ${c.orderId}, ${v.orderCreated}, ${now})` },
    { what: "reservation", run: () => tx`INSERT INTO catalog.reservations (id, status, created_at, updated_at) VALUES (${c.orderId}, 'RESERVED', ${now}, ${now})` },
    { what: "reservation lines", run: () => tx.unsafe(`INSERT INTO catalog.reservation_lines (reservation_id, product_id, quantity) SELECT $1, unnest(ARRAY[${list(v.productIds.length)}]::text[]), 1`, [c.orderId, ...v.productIds]) },
    { what: "payment", run: () => tx`INSERT INTO payment.payments (id, order_id, user_id, amount_cents, currency, status, card_last4, created_at, updated_at) VALUES (${c.paymentId}, ${c.orderId}, ${c.user}, ${v.total}, 'EUR', 'CAPTURED', '4242', ${now}, ${now})` },
    { what: "payment.captured", run: () => tx`INSERT INTO payment.outbox (id, type, aggregate_type, aggregate_id, payload, occurred_at) VALUES (${newId("e")}, 'payment.captured', 'payment', ${c.paymentId}, ${v.paymentCaptured}, ${now})` },
    { what: "paid", expect: 1, run: () => tx`UPDATE "order".orders SET status = 'PAID', payment_id = ${c.paymentId}, history = ${v.paidHistory}, updated_at = ${now} WHERE id = ${c.orderId} RETURNING id` },
    { what: "order.paid", run: () => tx`INSERT INTO "order".outbox (id, type, aggregate_type, aggregate_id, payload, occurred_at) VALUES (${newId("e")}, 'order.paid', 'order', ${c.orderId}, ${v.orderPaid}, ${now})` },
    { what: "cart emptied", run: () => tx.unsafe(`DELETE FROM cart.cart_items WHERE user_id = $1 AND product_id IN (${list(v.productIds.length)})`, [c.user, ...v.productIds]) },
    { what: "inbox", run: () => tx`INSERT INTO cart.processed_events (consumer, event_id, processed_at) VALUES ('cart', ${newId("e")}, ${now})` },
    { what: "cart revision", run: () => tx`INSERT INTO cart.carts (user_id, checkout_revision) VALUES (${c.user}, 1) ON CONFLICT (user_id) DO UPDATE SET checkout_revision = cart.carts.checkout_revision + 1` },
  ];
}

/** per-step: each module's step as one statement (data-modifying CTEs): the change and its event together. */
function perStepStatements(tx: SQL, c: Checkout, now: string): Statement[] {
  const v = checkoutValues(c, now);
  const list = (n: number, from: number) => Array.from({ length: n }, (_, i) => `$${i + from}`).join(", ");
  return [
    {
      what: "order created",
      expect: 1,
      run: () => tx`WITH claimed AS (INSERT INTO "order".idempotency_keys (user_id, key, request_hash, order_id, created_at) VALUES (${c.user}, ${c.key}, ${"f".repeat(64)}, ${c.orderId}, ${now}) ON CONFLICT DO NOTHING RETURNING order_id),
        created AS (INSERT INTO "order".orders (id, user_id, username, status, items, total_cents, currency, history, cart_revision, created_at, updated_at)
          SELECT order_id, ${c.user}, ${c.user}, 'PENDING', ${v.items}, ${v.total}, 'EUR', ${v.history}, ${c.revision}, ${now}, ${now} FROM claimed RETURNING id)
        INSERT INTO "order".outbox (id, type, aggregate_type, aggregate_id, payload, occurred_at) SELECT ${newId("e")}, 'order.created', 'order', id, ${v.orderCreated}, ${now} FROM created RETURNING seq`,
    },
    {
      what: "reservation",
      expect: v.productIds.length,
      run: () => tx.unsafe(
        `WITH reservation AS (INSERT INTO catalog.reservations (id, status, created_at, updated_at) VALUES ($1, 'RESERVED', $2, $2) RETURNING id)
         INSERT INTO catalog.reservation_lines (reservation_id, product_id, quantity) SELECT reservation.id, p, 1 FROM reservation, unnest(ARRAY[${list(v.productIds.length, 3)}]::text[]) AS p RETURNING product_id`,
        [c.orderId, now, ...v.productIds],
      ),
    },
    {
      what: "payment captured",
      expect: 1,
      run: () => tx`WITH captured AS (INSERT INTO payment.payments (id, order_id, user_id, amount_cents, currency, status, card_last4, created_at, updated_at) VALUES (${c.paymentId}, ${c.orderId}, ${c.user}, ${v.total}, 'EUR', 'CAPTURED', '4242', ${now}, ${now}) RETURNING id)
        INSERT INTO payment.outbox (id, type, aggregate_type, aggregate_id, payload, occurred_at) SELECT ${newId("e")}, 'payment.captured', 'payment', id, ${v.paymentCaptured}, ${now} FROM captured RETURNING seq`,
    },
    {
      what: "order paid",
      expect: 1,
      run: () => tx`WITH paid AS (UPDATE "order".orders SET status = 'PAID', payment_id = ${c.paymentId}, history = ${v.paidHistory}, updated_at = ${now} WHERE id = ${c.orderId} RETURNING id)
        INSERT INTO "order".outbox (id, type, aggregate_type, aggregate_id, payload, occurred_at) SELECT ${newId("e")}, 'order.paid', 'order', id, ${v.orderPaid}, ${now} FROM paid RETURNING seq`,
    },
    {
      what: "cart checked out",
      expect: 1,
      run: () => tx.unsafe(
        `WITH emptied AS (DELETE FROM cart.cart_items WHERE user_id = $1 AND product_id IN (${list(v.productIds.length, 3)}) RETURNING 1),
              handled AS (INSERT INTO cart.processed_events (consumer, event_id, processed_at) VALUES ('cart', $2, now()) RETURNING 1)
         INSERT INTO cart.carts (user_id, checkout_revision) VALUES ($1, 1) ON CONFLICT (user_id) DO UPDATE SET checkout_revision = cart.carts.checkout_revision + 1 RETURNING checkout_revision`,
        [c.user, newId("e"), ...v.productIds],
      ),
    },
  ];
}

/** The statements of one transaction carrying `checkouts`, stock last. */
function statements(tx: SQL, checkouts: Checkout[], o: RunOptions): Statement[] {
  const now = new Date().toISOString();
  const writes = o.statements === "per-row" ? perRowStatements : perStepStatements;
  const unit = (c: Checkout): Statement[] => [...cartAdds(tx, c, now), ...writes(tx, c, now)];
  const inSavepoint = (c: Checkout): Statement[] => [
    { what: "savepoint", run: () => tx`SAVEPOINT unit` },
    ...unit(c),
    { what: "release", run: () => tx`RELEASE SAVEPOINT unit` },
  ];
  return [...checkouts.flatMap(o.savepoints ? inSavepoint : unit), ...reserveStock(tx, checkouts, now)];
}

function check(what: string, rows: unknown[], expected: number | undefined): void {
  if (expected !== undefined && rows.length !== expected) throw new Error(`${what}: ${rows.length} rows, expected ${expected}`);
}

async function transaction(sql: SQL, checkouts: Checkout[], o: RunOptions): Promise<void> {
  await sql.begin(async (tx) => {
    const list = statements(tx, checkouts, o);
    if (o.send === "sequential") {
      for (const s of list) check(s.what, await s.run(), s.expect);
    } else {
      const results = await Promise.all(list.map((s) => s.run()));
      list.forEach((s, i) => check(s.what, results[i]!, s.expect));
    }
  });
}


/** One measured run on `url` (its schemas prepared), with its own pool. */
export async function run(url: string, productIds: string[], o: RunOptions, postmaster?: number): Promise<RunResult> {
  const sql = new SQL({ url, max: o.connections, connection: { synchronous_commit: o.synchronousCommit } });
  const groups = Math.max(1, Math.round(o.clients / o.batch));
  const revisions = new Map<string, number>();
  const customers = newId("c"); // each run its own customers: their cart revisions start at 1
  let taken = 0;
  let failures = 0;
  const prices = new Map(productIds.map((id, i) => [id, 500 + i * 10]));
  const nextBatch = (group: number, sequence: number): Checkout[] =>
    Array.from({ length: o.batch }, (_, k) => {
      const user = `${customers}-${group * o.batch + k}`;
      const revision = (revisions.get(user) ?? 0) + 1;
      revisions.set(user, revision);
      const first = (group * o.batch + k + sequence) % productIds.length;
      const pair = [productIds[first]!, productIds[(first + 1) % productIds.length]!];
      return { user, revision, lines: pair.map((productId) => ({ productId, unitPriceCents: prices.get(productId)! })), orderId: newId("o"), key: newId("k"), paymentId: newId("p") };
    });

  async function phase(limit: number, deadline: number, latencies?: number[]): Promise<number> {
    let done = 0;
    await Promise.all(
      Array.from({ length: groups }, async (_, group) => {
        for (let sequence = 0; taken < limit && performance.now() < deadline; sequence++) {
          taken += o.batch;
          const batch = nextBatch(group, sequence);
          const started = performance.now();
          for (let attempt = 1; ; attempt++) {
            try {
              await transaction(sql, batch, o);
              break;
            } catch (error) {
              failures++;
              const code = (error as { errno?: string }).errno;
              if (attempt >= 3 || (code !== "40P01" && code !== "40001")) throw error; // deadlock, serialization: retried
            }
          }
          const ms = performance.now() - started;
          if (latencies) for (let k = 0; k < o.batch; k++) latencies.push(ms);
          done += o.batch;
        }
      }),
    );
    return done;
  }

  try {
    await phase(o.warmupCheckouts, performance.now() + 30_000);
    taken = 0;
    failures = 0;
    const latencies: number[] = [];
    const server = postmaster ? measurePostgres(postmaster) : undefined;
    const cpu0 = process.cpuUsage();
    const started = performance.now();
    const checkouts = await phase(o.maxCheckouts, started + o.seconds * 1000, latencies);
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpu0);
    latencies.sort((a, b) => a - b);
    return {
      statements: o.statements,
      send: o.send,
      batch: o.batch,
      savepoints: o.savepoints,
      synchronousCommit: o.synchronousCommit,
      clients: o.clients,
      connections: o.connections,
      products: o.products,
      checkouts,
      seconds,
      perSecond: checkouts / seconds,
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
      failures,
      server: server?.stop(),
      driverCpuPct: ((cpu.user + cpu.system) / 1e6 / seconds) * 100,
    };
  } finally {
    await sql.close();
  }
}

/** The runs of bench/README.md's table: durability, pipelining and batching, at the shop's 64 customers. */
export const MATRIX: Array<Partial<RunOptions>> = [
  { statements: "per-row", send: "sequential", synchronousCommit: "on" },
  { statements: "per-row", send: "pipelined", synchronousCommit: "on" },
  { statements: "per-step", send: "sequential", synchronousCommit: "on" },
  { statements: "per-step", send: "pipelined", synchronousCommit: "on" },
  { statements: "per-row", send: "sequential", synchronousCommit: "off" },
  { statements: "per-step", send: "pipelined", synchronousCommit: "off" },
  { statements: "per-step", send: "pipelined", synchronousCommit: "on", batch: 8 },
  { statements: "per-step", send: "pipelined", synchronousCommit: "on", batch: 8, savepoints: true },
  { statements: "per-step", send: "pipelined", synchronousCommit: "off", batch: 8 },
  { statements: "per-step", send: "pipelined", synchronousCommit: "on", connections: 4 },
  { statements: "per-step", send: "pipelined", synchronousCommit: "on", products: 1024 },
];

function table(results: RunResult[]): string {
  const rows = results.map((r) =>
    `| ${r.statements}, ${r.send} | ${r.synchronousCommit} | ${r.batch}${r.savepoints ? " (savepoints)" : ""} | ${r.clients} / ${r.connections} | ${r.products} | ${Math.round(r.perSecond).toLocaleString("en")} | ${r.p50Ms.toFixed(1)} | ${r.p99Ms.toFixed(1)} | ${r.server ? `${Math.round(r.server.cpuPct)}% (${((r.server.cpuPct * 10) / r.perSecond).toFixed(2)} ms)` : "-"} | ${r.server ? Math.round(r.server.pssMb) : "-"} | ${Math.round(r.driverCpuPct)}% (${((r.driverCpuPct * 10) / r.perSecond).toFixed(2)} ms) | ${r.failures} |`,
  );
  return [
    "| statements | synchronous_commit | checkouts per tx | customers / connections | products | checkouts/s | p50 ms | p99 ms | PostgreSQL CPU (per checkout) | PostgreSQL PSS MB | driver CPU (per checkout) | retried |",
    "| --- | --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...rows,
  ].join("\n");
}

function parse(argv: string[]) {
  const o: RunOptions & { url?: string; postmaster?: number; matrix: boolean } = {
    statements: "per-step", send: "pipelined", batch: 1, savepoints: false, synchronousCommit: "on", clients: 64, connections: 16, products: 16, seconds: 5, maxCheckouts: 1_000_000, warmupCheckouts: 500, matrix: false,
  };
  const int = (flag: string, v: string | undefined, min: number, max: number) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${flag} must be a whole number from ${min} to ${max}, got ${v}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = () => argv[++i];
    switch (flag) {
      case "--url": o.url = value(); break;
      case "--postmaster": o.postmaster = int(flag, value(), 1, 2 ** 22); break;
      case "--statements": {
        const v = value();
        if (v !== "per-row" && v !== "per-step") throw new Error(`--statements must be per-row or per-step, got ${v}`);
        o.statements = v;
        break;
      }
      case "--send": {
        const v = value();
        if (v !== "sequential" && v !== "pipelined") throw new Error(`--send must be sequential or pipelined, got ${v}`);
        o.send = v;
        break;
      }
      case "--sync": {
        const v = value();
        if (v !== "on" && v !== "off") throw new Error(`--sync must be on or off, got ${v}`);
        o.synchronousCommit = v;
        break;
      }
      case "--batch": o.batch = int(flag, value(), 1, 256); break;
      case "--clients": o.clients = int(flag, value(), 1, 1024); break;
      case "--connections": o.connections = int(flag, value(), 1, 150); break;
      case "--products": o.products = int(flag, value(), 2, 100_000); break;
      case "--seconds": o.seconds = int(flag, value(), 1, 600); break;
      case "--checkouts": o.maxCheckouts = int(flag, value(), 1, 100_000_000); break;
      case "--warmup": o.warmupCheckouts = int(flag, value(), 0, 1_000_000); break;
      case "--savepoints": o.savepoints = true; break;
      case "--matrix": o.matrix = true; break;
      default: throw new Error(`unknown flag ${flag}; flags: --url --postmaster --statements --send --sync --batch --savepoints --clients --connections --products --seconds --checkouts --warmup --matrix`);
    }
  }
  return o;
}

if (import.meta.main) {
  let o: ReturnType<typeof parse>;
  try {
    o = parse(process.argv.slice(2));
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
  let server: PostgresServer | undefined;
  const root = join(POSTGRES_CACHE, `bench-${process.pid}`);
  try {
    let url = o.url;
    let postmaster = o.postmaster;
    if (!url) {
      mkdirSync(POSTGRES_CACHE, { recursive: true });
      server = await startPostgres({ root, ephemeral: true }); // fsync and synchronous_commit stay on: durable commits, as in production
      const admin = new SQL({ url: server.url(), max: 1 });
      await admin`CREATE DATABASE bench`;
      await admin.close();
      url = server.url("bench");
      postmaster = server.pid;
    }
    const setup = new SQL({ url, max: 1 });
    const runs = o.matrix ? MATRIX.map((m) => ({ ...o, ...m })) : [o];
    const productIds = await prepare(setup, Math.max(...runs.map((r) => r.products)));
    await setup.close();
    const results: RunResult[] = [];
    for (const r of runs) {
      const result = await run(url, productIds.slice(0, r.products), r, postmaster);
      results.push(result);
      console.log(JSON.stringify(result));
    }
    if (o.matrix) console.log(`\n${table(results)}`);
  } finally {
    await server?.stop();
    rmSync(root, { recursive: true, force: true });
  }
}
