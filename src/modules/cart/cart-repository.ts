import type { Database } from "bun:sqlite";
import type { cartItems } from "./schema";

export type CartRow = typeof cartItems.$inferSelect;

const COLUMNS = "user_id AS userId, product_id AS productId, quantity, added_at AS addedAt, updated_at AS updatedAt";

const byAddedThenProduct = (a: CartRow, b: CartRow) =>
  a.addedAt < b.addedAt ? -1 : a.addedAt > b.addedAt ? 1 : a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0;

/** A cart's lines in the order they were added (ties by product id), as `lines` returns them. */
export const inAddedOrder = (rows: CartRow[]): CartRow[] => rows.sort(byAddedThenProduct);

/**
 * SQL for cart lines, on bun:sqlite statements prepared once: a cart is read and written on
 * every shopping request, and drizzle's row mapping was a visible share of that (the table's
 * shape still lives in schema.ts, for migrations).
 */
export class CartRepository {
  private readonly linesOf;
  private readonly lineOf;
  private readonly upsertLine;
  private readonly deleteUpTo;
  private readonly reduceBy;
  private readonly deleteLine;
  private readonly deleteAll;
  private readonly revisionOf;
  private readonly bumpRevision;

  constructor(sqlite: Database) {
    // Sorted here, not by ORDER BY: SQLite's temporary sort b-tree cost 3.4 µs per read, for a
    // handful of rows (the primary key index already finds them).
    this.linesOf = sqlite.query<CartRow, [string]>(`SELECT ${COLUMNS} FROM cart_items WHERE user_id = ?`);
    this.lineOf = sqlite.query<CartRow, [string, string]>(`SELECT ${COLUMNS} FROM cart_items WHERE user_id = ? AND product_id = ?`);
    this.upsertLine = sqlite.query<never, [string, string, number, string]>(
      "INSERT INTO cart_items (user_id, product_id, quantity, added_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?4) " +
        "ON CONFLICT (user_id, product_id) DO UPDATE SET quantity = excluded.quantity, updated_at = excluded.updated_at",
    );
    this.deleteUpTo = sqlite.query<never, [string, string, number]>("DELETE FROM cart_items WHERE user_id = ? AND product_id = ? AND quantity <= ?");
    this.reduceBy = sqlite.query<never, [number, string, string, string]>("UPDATE cart_items SET quantity = quantity - ?1, updated_at = ?2 WHERE user_id = ?3 AND product_id = ?4");
    this.deleteLine = sqlite.query<never, [string, string]>("DELETE FROM cart_items WHERE user_id = ? AND product_id = ?");
    this.deleteAll = sqlite.query<never, [string]>("DELETE FROM cart_items WHERE user_id = ?");
    this.revisionOf = sqlite.query<{ revision: number }, [string]>("SELECT checkout_revision AS revision FROM carts WHERE user_id = ?");
    this.bumpRevision = sqlite.query<never, [string]>(
      "INSERT INTO carts (user_id, checkout_revision) VALUES (?, 1) ON CONFLICT (user_id) DO UPDATE SET checkout_revision = checkout_revision + 1",
    );
  }

  /** In the order they were added. */
  lines(userId: string): CartRow[] {
    return inAddedOrder(this.linesOf.all(userId));
  }

  line(userId: string, productId: string): CartRow | undefined {
    return this.lineOf.get(userId, productId) ?? undefined;
  }

  /** Sets a line's quantity, adding the line when it is new. */
  put(userId: string, productId: string, quantity: number, now: string): void {
    this.upsertLine.run(userId, productId, quantity, now);
  }

  /** Takes `quantity` out of a line: the line goes when nothing is left, and a missing line is left alone. */
  takeOut(userId: string, productId: string, quantity: number, now: string): void {
    // The usual case, the whole line ordered, is one statement.
    if (this.deleteUpTo.run(userId, productId, quantity).changes === 0) this.reduceBy.run(quantity, now, userId, productId);
  }

  /** Returns false when there was no such line. */
  remove(userId: string, productId: string): boolean {
    return this.deleteLine.run(userId, productId).changes > 0;
  }

  clear(userId: string): void {
    this.deleteAll.run(userId);
  }

  /** The cart's checkout revision: how many orders' lines have left it (0 for a cart never checked out). */
  checkoutRevision(userId: string): number {
    return this.revisionOf.get(userId)?.revision ?? 0;
  }

  /** After an order's lines left the cart: its next contents are a new checkout. */
  nextCheckoutRevision(userId: string): void {
    this.bumpRevision.run(userId);
  }
}
