// The guarantees PostgreSQL itself keeps for the modules (their migrations applied for real),
// exercised through Bun SQL as the repositories will write: stock never below zero, one payment
// per order, one live order per cart revision, one row per idempotency key, per cart checkout
// revision and per handled event; jsonb kept as JSON (not a string) and instants to the millisecond.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { SQL } from "bun";
import { openPostgresDatabase, type PostgresDatabase } from "../../src/platform/db/postgres/open-postgres";
import { freshDatabase, POSTGRES_START_TIMEOUT_MS } from "../support/postgres";
import { MODULE_DATABASES } from "./module-databases";

const open: Partial<Record<string, PostgresDatabase>> = {};
beforeAll(async () => {
  const url = await freshDatabase("constraints"); // every module in one database, each in its schema (DATABASE_URL)
  for (const { module, postgresFolder } of MODULE_DATABASES) {
    open[module] = await openPostgresDatabase({ engine: "postgres", url, variable: "DATABASE_URL", schema: module }, { migrationsFolder: postgresFolder, max: 2 });
  }
}, POSTGRES_START_TIMEOUT_MS);
afterAll(async () => {
  await Promise.all(Object.values(open).map((db) => db?.close()));
});
const db = (module: string): SQL => open[module]!.sql;
const now = "2026-11-30T12:34:56.789Z";

/** The SQLSTATE and constraint a statement fails with. */
async function violation(query: Promise<unknown>): Promise<{ errno?: string; constraint?: string }> {
  try {
    await query;
  } catch (error) {
    const { errno, constraint } = error as { errno?: string; constraint?: string };
    return { errno, constraint };
  }
  throw new Error("the statement succeeded");
}

describe("catalog", () => {
  test("a conditional update reserves only what is there, and stock can never go below zero", async () => {
    const sql = db("catalog");
    await sql`INSERT INTO products (id, name, category, price_cents, currency, stock, created_at, updated_at) VALUES ('p1', 'Tea', 'drinks', 450, 'EUR', 3, ${now}, ${now})`;
    expect(await sql`UPDATE products SET stock = stock - 5 WHERE id = 'p1' AND stock >= 5 RETURNING stock`).toHaveLength(0);
    expect(await sql`UPDATE products SET stock = stock - 3 WHERE id = 'p1' AND stock >= 3 RETURNING stock`).toEqual([{ stock: 0 }]);
    expect(await violation(sql`UPDATE products SET stock = stock - 1 WHERE id = 'p1'`)).toEqual({ errno: "23514", constraint: "products_stock_non_negative" });
  });
});

describe("payment", () => {
  test("one payment per order, however many retries", async () => {
    const sql = db("payment");
    const pay = (id: string) => sql`INSERT INTO payments (id, order_id, user_id, amount_cents, currency, status, card_last4, created_at, updated_at) VALUES (${id}, 'o1', 'u1', 900, 'EUR', 'CAPTURED', '4242', ${now}, ${now})`;
    await pay("pay1");
    expect(await violation(pay("pay2"))).toEqual({ errno: "23505", constraint: "payments_order_id_unique" });
    expect(await sql`INSERT INTO payments (id, order_id, user_id, amount_cents, currency, status, card_last4, created_at, updated_at) VALUES ('pay3', 'o1', 'u1', 900, 'EUR', 'CAPTURED', '4242', ${now}, ${now}) ON CONFLICT (order_id) DO NOTHING RETURNING id`).toHaveLength(0);
  });
});

describe("order", () => {
  const insertOrder = (sql: SQL, id: string, revision: number | null) =>
    sql`INSERT INTO orders (id, user_id, username, status, items, total_cents, currency, history, cart_revision, created_at, updated_at)
        VALUES (${id}, 'u1', 'alice', 'PENDING', ${[{ productId: "p1", quantity: 2 }]}, 900, 'EUR', ${[{ status: "PENDING", at: now }]}, ${revision}, ${now}, ${now})`;

  test("one live order per customer and cart revision; orders that let go of theirs (null) never collide", async () => {
    const sql = db("order");
    await insertOrder(sql, "o1", 1);
    expect(await violation(insertOrder(sql, "o2", 1))).toEqual({ errno: "23505", constraint: "orders_live_cart_revision" });
    await insertOrder(sql, "o3", null);
    await insertOrder(sql, "o4", null);
    await insertOrder(sql, "o5", 2);
  });

  test("one row per (customer, Idempotency-Key)", async () => {
    const sql = db("order");
    const claim = (orderId: string) => sql`INSERT INTO idempotency_keys (user_id, key, request_hash, order_id, created_at) VALUES ('u1', 'k1', 'h', ${orderId}, ${now}) ON CONFLICT DO NOTHING RETURNING order_id`;
    expect(await claim("o1")).toEqual([{ order_id: "o1" }]);
    expect(await claim("o2")).toEqual([]);
    expect(await violation(sql`INSERT INTO idempotency_keys (user_id, key, request_hash, order_id, created_at) VALUES ('u1', 'k1', 'h', 'o9', ${now})`)).toMatchObject({ errno: "23505" });
  });

  test("lines and history are stored as JSON (jsonb arrays, not strings) and instants to the millisecond", async () => {
    const sql = db("order");
    const [row] = await sql`SELECT jsonb_typeof(items) AS items_type, items, history, created_at FROM orders WHERE id = 'o1'`;
    expect(row).toEqual({ items_type: "array", items: [{ productId: "p1", quantity: 2 }], history: [{ status: "PENDING", at: now }], created_at: new Date(now) });
    expect(row.created_at.toISOString()).toBe(now);
  });
});

describe("cart", () => {
  test("one checkout revision per cart, moved on in place", async () => {
    const sql = db("cart");
    const bump = () => sql`INSERT INTO carts (user_id, checkout_revision) VALUES ('u1', 1) ON CONFLICT (user_id) DO UPDATE SET checkout_revision = carts.checkout_revision + 1 RETURNING checkout_revision`;
    expect(await bump()).toEqual([{ checkout_revision: 1 }]);
    expect(await bump()).toEqual([{ checkout_revision: 2 }]);
  });

  test("the inbox takes an event once", async () => {
    const sql = db("cart");
    const take = () => sql`INSERT INTO processed_events (consumer, event_id, processed_at) VALUES ('cart', 'e1', ${now}) ON CONFLICT DO NOTHING RETURNING event_id`;
    expect(await take()).toHaveLength(1);
    expect(await take()).toHaveLength(0);
  });
});

describe("identity", () => {
  test("one account per (lower-cased) username", async () => {
    const sql = db("identity");
    const add = (id: string) => sql`INSERT INTO users (id, username, password_hash, role, created_at) VALUES (${id}, 'alice', 'x', 'customer', ${now})`;
    await add("u1");
    expect(await violation(add("u2"))).toEqual({ errno: "23505", constraint: "users_username_unique" });
  });
});

describe("outbox", () => {
  test("each module's outbox numbers its events in insert order and starts with its relay's row", async () => {
    for (const module of ["catalog", "cart", "order", "payment"]) {
      const sql = db(module);
      expect(await sql`SELECT id, published_seq, lease_holder FROM outbox_relay`).toEqual([{ id: 1, published_seq: "0", lease_holder: null }]);
      const append = (id: string) => sql`INSERT INTO outbox (id, type, aggregate_type, aggregate_id, payload, occurred_at) VALUES (${id}, 't', 'a', 'a1', '{}', ${now}) RETURNING seq`;
      const [first] = await append("e1");
      const [second] = await append("e2");
      expect(Number(second.seq)).toBe(Number(first.seq) + 1);
    }
  });
});
