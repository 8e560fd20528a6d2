// The PostgreSQL checkout ceiling (bench/ceiling/postgres-checkout.ts) replays the shop's write set
// on the modules' own PostgreSQL migrations, against the test server: a bounded run of each
// statement style, then the database is checked for exactly the rows those checkouts write, so a
// migration that changes a table shows here instead of in a stale benchmark.
import { beforeAll, expect, test } from "bun:test";
import { join } from "node:path";
import { SQL } from "bun";
import type { PostgresServer } from "../../scripts/postgres/server";
import { freshDatabase, POSTGRES_START_TIMEOUT_MS, testPostgres } from "../support/postgres";

const script = join(import.meta.dir, "..", "..", "bench", "ceiling", "postgres-checkout.ts");
const WARMUP = 16;
const CHECKOUTS = 96;

let server: PostgresServer;
beforeAll(async () => {
  server = await testPostgres();
}, POSTGRES_START_TIMEOUT_MS);

for (const [statements, send, batch, savepoints] of [["per-row", "sequential", 1, false], ["per-step", "pipelined", 4, true]] as const) {
  test(`${statements} statements, ${send}, ${batch} checkout(s) per transaction${savepoints ? " in savepoints" : ""}: every row of every checkout, and the server's CPU and memory`, async () => {
    const url = await freshDatabase(`ceiling-${statements}`);
    const args = ["--url", url, "--postmaster", String(server.pid), "--statements", statements, "--send", send, "--batch", String(batch),
      "--clients", "8", "--connections", "4", "--checkouts", String(CHECKOUTS), "--warmup", String(WARMUP), "--seconds", "60", ...(savepoints ? ["--savepoints"] : [])];
    const proc = Bun.spawn(["bun", script, ...args], { stdout: "pipe", stderr: "pipe" });
    const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
    expect(err).toBe("");
    expect(code).toBe(0);
    const result = JSON.parse(out);
    expect(result).toMatchObject({ statements, send, batch, savepoints, checkouts: CHECKOUTS, failures: 0 });
    expect(result.perSecond).toBeGreaterThan(0);
    expect(result.p99Ms).toBeGreaterThanOrEqual(result.p50Ms);
    expect(result.server.cpuPct).toBeGreaterThan(0);
    expect(result.server.pssMb).toBeGreaterThan(1);

    const orders = WARMUP + CHECKOUTS;
    const sql = new SQL({ url, max: 1 });
    try {
      const [row] = await sql`SELECT
        (SELECT count(*)::int FROM "order".orders WHERE status = 'PAID' AND payment_id IS NOT NULL) AS paid,
        (SELECT count(*)::int FROM "order".orders) AS orders,
        (SELECT count(*)::int FROM "order".idempotency_keys) AS keys,
        (SELECT count(*)::int FROM payment.payments) AS payments,
        (SELECT count(*)::int FROM catalog.reservation_lines) AS reserved_lines,
        (SELECT sum(1000000000 - stock)::int FROM catalog.products) AS sold,
        (SELECT count(*)::int FROM "order".outbox) AS order_events,
        (SELECT count(*)::int FROM payment.outbox) AS payment_events,
        (SELECT count(*)::int FROM cart.cart_items) AS cart_lines,
        (SELECT sum(checkout_revision)::int FROM cart.carts) AS checkouts_of_carts,
        (SELECT count(*)::int FROM cart.processed_events) AS inbox`;
      expect(row).toEqual({
        paid: orders, orders, keys: orders, payments: orders, reserved_lines: 2 * orders, sold: 2 * orders,
        order_events: 2 * orders, payment_events: orders, cart_lines: 0, checkouts_of_carts: orders, inbox: orders,
      });
      const [{ types }] = await sql`SELECT count(*)::int AS types FROM "order".orders WHERE jsonb_typeof(items) = 'array' AND jsonb_array_length(items) = 2`;
      expect(types).toBe(orders);
    } finally {
      await sql.close();
    }
  }, POSTGRES_START_TIMEOUT_MS + 120_000);
}
