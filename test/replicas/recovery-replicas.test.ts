// Two order replicas (all-in-one processes on one set of PostgreSQL databases) start together over
// the same half-done checkouts, as after a crash: their start-up sweeps settle each order once
// between them (one charge lookup and one settlement per order, one event), and a checkout one
// replica is running right now is left alone by the other's sweep. Replicas starting together
// seed once; one killed mid-checkout leaves its order to another; one started later migrates nothing.
import { afterAll, expect, test } from "bun:test";
import { SQL } from "bun";
import type { Order } from "../../src/modules/order";
import { InProcessBus } from "../../src/platform/events/in-process-bus";
import { loadConfig } from "../../src/platform/config";
import { createLogger } from "../../src/platform/logger";
import { lockKey, SessionLocks } from "../../src/platform/db/postgres/session-locks";
import { seedProducts } from "../../src/modules/catalog/seed-products";
import { DEMO } from "../support/http-client";
import { tokens } from "../support/module-harness";
import { CARDS, Shop } from "../support/shop";
import { anOrder, keyFor, orderDatabase } from "../support/order-database";
import { freshModuleDatabases, POSTGRES_START_TIMEOUT_MS } from "../support/postgres";
import { startEntrypoint, tempDir, type ServerProcess } from "../support/processes";
import { eventually } from "../support/sse";

const HALF_DONE = 300;
const running: ServerProcess[] = [];
afterAll(async () => {
  for (const s of running) if (s.proc.exitCode === null) await s.kill();
}, 30_000);

/** PENDING orders as a crash leaves them (never charged), written through the real repository; the ids. */
async function halfDoneCheckouts(env: Record<string, string>, count: number, users: string): Promise<Order[]> {
  const log = createLogger("silent");
  const dataDir = tempDir();
  const db = await orderDatabase({ dataDir, bus: new InProcessBus(log), log, tokens, databases: loadConfig({ DATA_DIR: dataDir, ...env }).databases });
  const orders: Order[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const order = anOrder(`${users}-${i}`);
      expect(await db.orders.placePending(order, i, keyFor(order))).toEqual({ placed: true });
      orders.push(order);
    }
  } finally {
    await db.close();
  }
  return orders;
}

const settledCount = (server: ServerProcess) =>
  [...server.output().matchAll(/"msg":"settled unfinished checkouts".*?"settled":(\d+)/g)].reduce((n, m) => n + Number(m[1]), 0);

test("two replicas starting over the same half-done checkouts settle each once, and skip one a replica is running", async () => {
  const env = await freshModuleDatabases("recovery_replicas");
  const orders = await halfDoneCheckouts(env, HALF_DONE, "crashed");
  // One more, "being run right now" by another replica: a third process holds its claim, as a running checkout does.
  const [running1] = await halfDoneCheckouts(env, 1, "running");
  const otherReplica = new SessionLocks(env.ORDER_DATABASE_URL!, "a replica running a checkout");
  expect(await otherReplica.tryLock(lockKey("checkout", running1!.id))).toBe(true);
  try {
    const start = () => startEntrypoint("all.ts", { ...env, SEED_CATALOG: "false", LOG_LEVEL: "info" }, { readyTimeoutMs: 60_000 });
    const replicas = await Promise.all([start(), start()]);
    running.push(...replicas);

    const orderDb = new SQL({ url: env.ORDER_DATABASE_URL!, max: 1, connection: { search_path: "order" } });
    try {
      await eventually(async () => {
        const [row] = await orderDb`SELECT count(*)::int AS n FROM orders WHERE status = 'PENDING'`;
        expect(row.n).toBe(1);
      }, 60_000);
      await Bun.sleep(500); // any late second settlement would show now
      const [pending] = await orderDb`SELECT id FROM orders WHERE status = 'PENDING'`;
      expect(pending.id).toBe(running1!.id); // the running checkout was left to its replica
      // One settlement event per order, whoever settled it.
      const events: Array<{ n: number }> = await orderDb`SELECT count(*)::int AS n FROM outbox WHERE type = 'order.cancelled' GROUP BY aggregate_id`;
      expect(events.length).toBe(HALF_DONE);
      expect(events.every((e) => e.n === 1)).toBe(true);
    } finally {
      await orderDb.close();
    }
    // One charge lookup and settlement per order: the sweeps' counts add up to the orders, not more.
    const [a, b] = replicas.map(settledCount);
    console.log(`recovery: replica A settled ${a}, replica B ${b}, of ${HALF_DONE} half-done checkouts`);
    expect(a! + b!).toBe(HALF_DONE);
    expect(orders.length).toBe(HALF_DONE);
  } finally {
    await otherReplica.close();
  }
}, POSTGRES_START_TIMEOUT_MS + 120_000);

test("replicas started together seed once; a replica killed mid-checkout leaves it to another; one started later migrates nothing and joins", async () => {
  const env = await freshModuleDatabases("replica_joins");
  const start = (extra: Record<string, string> = {}) => startEntrypoint("all.ts", { ...env, LOG_LEVEL: "info", ...extra }, { readyTimeoutMs: 60_000 });
  // Two replicas at once, both seeding the demo catalog and accounts: one does it, the other finds it done.
  const [doomed, steady] = await Promise.all([start({ CRASH_AT: "checkout.after-reserve" }), start()]);
  running.push(doomed, steady);
  const catalogDb = new SQL({ url: env.CATALOG_DATABASE_URL!, max: 1, connection: { search_path: "catalog" } });
  try {
    const [products] = await catalogDb`SELECT count(*)::int AS n FROM products`;
    expect(products.n).toBe(seedProducts.length);

    // A checkout through the doomed replica: killed with the stock reserved and the order PENDING.
    const shop = await Shop.connect(doomed.url);
    const productId = await shop.product(5);
    const alice = await shop.anon.login("alice", DEMO.alice);
    await shop.addToCart(alice, productId, 2);
    await shop.checkout(alice, CARDS.ok, crypto.randomUUID()).catch(() => undefined);
    expect(await doomed.proc.exited).not.toBe(0);
    const viaSteady = await Shop.connect(steady.url);
    expect(await viaSteady.stock(productId)).toBe(3);

    // A replica started later: nothing to migrate, nothing to seed; its start-up sweep settles the orphan.
    const late = await start();
    running.push(late);
    expect(late.output()).not.toContain("applied migration");
    expect(late.output()).not.toContain("catalog seeded");
    await eventually(async () => expect((await viaSteady.allOrders()).map((o) => o.status)).toEqual(["CANCELLED"]), 30_000);
    expect(await viaSteady.stock(productId)).toBe(5);
    const [again] = await catalogDb`SELECT count(*)::int AS n FROM products`;
    expect(again.n).toBe(seedProducts.length + 1);
  } finally {
    await catalogDb.close();
  }
}, POSTGRES_START_TIMEOUT_MS + 120_000);
