import type { SQL } from "bun";
import { PostgresTable } from "../../platform/db/postgres/table.postgres";
import { keep } from "../../platform/db/unit-of-work";
import type { PostgresUnitOfWork } from "../../platform/db/unit-of-work.postgres";
import { PostgresInbox } from "../../platform/events/outbox.postgres";
import { nowIso } from "../../platform/ids";
import { inAddedOrder, type CartContents, type CartRepository, type CartRow } from "./cart-repository";
import type { CheckedOutLine } from "./contract";
import { cartItems, carts } from "./postgres-schema";

const i = new PostgresTable(cartItems);
const r = new PostgresTable(carts);

const OF_USER = `${i.column("userId")} = $1`;
const OF_LINE = `${OF_USER} AND ${i.column("productId")} = $2`;
/**
 * The lines and the revision in one statement, so one snapshot (a checkout snapshots one state):
 * one row per line, or one row of nulls beside the revision when the cart is empty.
 */
const CONTENTS = `SELECT rev."checkoutRevision", ${i.select(i.keys(), "line.")}
  FROM (SELECT COALESCE((SELECT ${r.column("checkoutRevision")} FROM ${r.name} WHERE ${r.column("userId")} = $1), 0) AS "checkoutRevision") rev
  LEFT JOIN ${i.name} line ON line.${i.column("userId")} = $1`;
/**
 * One writer per cart at a time, as on SQLite (whose writes are serial): a transaction-level
 * advisory lock on the customer, so "read the cart, decide, write" never loses a concurrent
 * change, and an add racing a checkout waits for it. Released at COMMIT or ROLLBACK.
 */
const LOCK_CART = `SELECT pg_advisory_xact_lock(hashtextextended('cart:' || $1, 0))`;

/** CartRepository on PostgreSQL (Bun SQL), the twin of cart-repository.sqlite.ts. */
export class PostgresCartRepository implements CartRepository {
  /** Order ids whose lines already left the cart. */
  private readonly checkouts = new PostgresInbox("cart-checkouts");

  constructor(
    private readonly sql: SQL,
    private readonly units: PostgresUnitOfWork,
  ) {}

  contents(userId: string): Promise<CartContents> {
    return this.contentsOn(this.sql, userId);
  }

  async lines(userId: string): Promise<CartRow[]> {
    return inAddedOrder(await this.sql.unsafe(`SELECT ${i.select()} FROM ${i.name} WHERE ${OF_USER}`, [userId]));
  }

  async line(userId: string, productId: string): Promise<CartRow | undefined> {
    const [row] = await this.sql.unsafe(`SELECT ${i.select()} FROM ${i.name} WHERE ${OF_LINE}`, [userId, productId]);
    return row;
  }

  putLine(userId: string, productId: string, quantity: (cart: CartContents) => number): Promise<CartContents> {
    return this.units.run(async (tx) => {
      await tx.unsafe(LOCK_CART, [userId]);
      const cart = await this.contentsOn(tx, userId);
      const wanted = quantity(cart);
      const now = nowIso();
      const existing = cart.lines.find((row) => row.productId === productId);
      await tx.unsafe(
        `${i.insert()} ON CONFLICT (${i.column("userId")}, ${i.column("productId")}) DO UPDATE SET ${i.column("quantity")} = excluded.${i.column("quantity")}, ${i.column("updatedAt")} = excluded.${i.column("updatedAt")}`,
        i.values({ userId, productId, quantity: wanted, addedAt: now, updatedAt: now }, i.keys()),
      );
      const lines = existing
        ? cart.lines.map((row) => (row === existing ? { ...row, quantity: wanted, updatedAt: now } : row))
        : inAddedOrder([...cart.lines, { userId, productId, quantity: wanted, addedAt: now, updatedAt: now }]);
      return keep({ lines, checkoutRevision: cart.checkoutRevision });
    });
  }

  removeLine(userId: string, productId: string): Promise<boolean> {
    return this.units.run(async (tx) => {
      await tx.unsafe(LOCK_CART, [userId]);
      return keep((await tx.unsafe(`DELETE FROM ${i.name} WHERE ${OF_LINE}`, [userId, productId])).count > 0);
    });
  }

  clear(userId: string): Promise<void> {
    return this.units.run(async (tx) => {
      await tx.unsafe(LOCK_CART, [userId]);
      await tx.unsafe(`DELETE FROM ${i.name} WHERE ${OF_USER}`, [userId]);
      return keep(undefined);
    });
  }

  checkOut(userId: string, orderId: string, lines: CheckedOutLine[]): Promise<boolean> {
    return this.units.run(async (tx) => {
      await tx.unsafe(LOCK_CART, [userId]);
      if (!(await this.checkouts.claim(tx, orderId))) return keep(false);
      const now = nowIso();
      for (const line of lines) {
        const gone = await tx.unsafe(`DELETE FROM ${i.name} WHERE ${OF_LINE} AND ${i.column("quantity")} <= $3`, [userId, line.productId, line.quantity]);
        if (gone.count === 0) {
          await tx.unsafe(`UPDATE ${i.name} SET ${i.column("quantity")} = ${i.column("quantity")} - $3, ${i.column("updatedAt")} = $4 WHERE ${OF_LINE}`, [userId, line.productId, line.quantity, now]);
        }
      }
      const revision = r.column("checkoutRevision");
      await tx.unsafe(`INSERT INTO ${r.name} (${r.column("userId")}, ${revision}) VALUES ($1, 1) ON CONFLICT (${r.column("userId")}) DO UPDATE SET ${revision} = ${r.name}.${revision} + 1`, [userId]);
      return keep(true);
    });
  }

  private async contentsOn(sql: SQL, userId: string): Promise<CartContents> {
    const rows: Array<CartRow & { checkoutRevision: number }> = await sql.unsafe(CONTENTS, [userId]);
    const lines = rows.filter((row) => row.productId !== null).map(({ checkoutRevision: _, ...line }) => line);
    return { lines: inAddedOrder(lines), checkoutRevision: rows[0]?.checkoutRevision ?? 0 };
  }
}
