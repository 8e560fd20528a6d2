import type { Database } from "bun:sqlite";
import { SqliteTable } from "../../platform/db/table.sqlite";
import { keep } from "../../platform/db/unit-of-work";
import type { SqliteUnitOfWork } from "../../platform/db/unit-of-work.sqlite";
import { SqliteInbox } from "../../platform/events/outbox.sqlite";
import { nowIso } from "../../platform/ids";
import { inAddedOrder, type CartContents, type CartRepository, type CartRow } from "./cart-repository";
import type { CheckedOutLine } from "./contract";
import { cartItems, carts } from "./schema";

const items = new SqliteTable(cartItems);
const revisions = new SqliteTable(carts);

/**
 * CartRepository on bun:sqlite, statements prepared once from the schema: a cart is read and
 * written on every shopping request.
 */
export class SqliteCartRepository implements CartRepository {
  private readonly linesOf;
  private readonly lineOf;
  private readonly upsertLine;
  private readonly deleteUpTo;
  private readonly reduceBy;
  private readonly deleteLine;
  private readonly deleteAll;
  private readonly revisionOf;
  private readonly bumpRevision;
  /** Order ids whose lines already left the cart. */
  private readonly checkouts: SqliteInbox;

  constructor(
    sqlite: Database,
    private readonly units: SqliteUnitOfWork,
  ) {
    const i = items;
    const ofUser = `${i.column("userId")} = ?`;
    const ofLine = `${ofUser} AND ${i.column("productId")} = ?`;
    // Sorted in JS (inAddedOrder), not by ORDER BY: SQLite's temporary sort b-tree cost more than
    // the read, for a handful of rows the primary key already finds.
    this.linesOf = sqlite.query<CartRow, [string]>(`SELECT ${i.select()} FROM ${i.name} WHERE ${ofUser}`);
    this.lineOf = sqlite.query<CartRow, [string, string]>(`SELECT ${i.select()} FROM ${i.name} WHERE ${ofLine}`);
    this.upsertLine = sqlite.query(
      `${i.insert()} ON CONFLICT (${i.column("userId")}, ${i.column("productId")}) DO UPDATE SET ${i.column("quantity")} = excluded.${i.column("quantity")}, ${i.column("updatedAt")} = excluded.${i.column("updatedAt")}`,
    );
    this.deleteUpTo = sqlite.query<never, [string, string, number]>(`DELETE FROM ${i.name} WHERE ${ofLine} AND ${i.column("quantity")} <= ?`);
    this.reduceBy = sqlite.query<never, [number, string, string, string]>(
      `UPDATE ${i.name} SET ${i.column("quantity")} = ${i.column("quantity")} - ?, ${i.column("updatedAt")} = ? WHERE ${ofLine}`,
    );
    this.deleteLine = sqlite.query<never, [string, string]>(`DELETE FROM ${i.name} WHERE ${ofLine}`);
    this.deleteAll = sqlite.query<never, [string]>(`DELETE FROM ${i.name} WHERE ${ofUser}`);
    const r = revisions;
    const revision = r.column("checkoutRevision");
    this.revisionOf = sqlite.query<{ checkoutRevision: number }, [string]>(`SELECT ${r.select(["checkoutRevision"])} FROM ${r.name} WHERE ${r.column("userId")} = ?`);
    this.bumpRevision = sqlite.query<never, [string]>(
      `INSERT INTO ${r.name} (${r.column("userId")}, ${revision}) VALUES (?, 1) ON CONFLICT (${r.column("userId")}) DO UPDATE SET ${revision} = ${revision} + 1`,
    );
    this.checkouts = new SqliteInbox(sqlite, "cart-checkouts");
  }

  async contents(userId: string): Promise<CartContents> {
    return this.contentsNow(userId);
  }

  async lines(userId: string): Promise<CartRow[]> {
    return inAddedOrder(this.linesOf.all(userId));
  }

  async line(userId: string, productId: string): Promise<CartRow | undefined> {
    return this.lineOf.get(userId, productId) ?? undefined;
  }

  putLine(userId: string, productId: string, quantity: (cart: CartContents) => number): Promise<CartContents> {
    return this.units.run(() => {
      const cart = this.contentsNow(userId);
      const wanted = quantity(cart);
      const now = nowIso();
      const existing = cart.lines.find((r) => r.productId === productId);
      this.upsertLine.run({ userId, productId, quantity: wanted, addedAt: now, updatedAt: now });
      // The lines read plus this write are the cart afterwards: no second read.
      const lines = existing
        ? cart.lines.map((r) => (r === existing ? { ...r, quantity: wanted, updatedAt: now } : r))
        : inAddedOrder([...cart.lines, { userId, productId, quantity: wanted, addedAt: now, updatedAt: now }]);
      return keep({ lines, checkoutRevision: cart.checkoutRevision });
    });
  }

  removeLine(userId: string, productId: string): Promise<boolean> {
    return this.units.run(() => keep(this.deleteLine.run(userId, productId).changes > 0));
  }

  clear(userId: string): Promise<void> {
    return this.units.run(() => keep(void this.deleteAll.run(userId)));
  }

  checkOut(userId: string, orderId: string, lines: CheckedOutLine[]): Promise<boolean> {
    return this.units.run(() => {
      if (!this.checkouts.claim(orderId)) return keep(false);
      const now = nowIso();
      for (const line of lines) {
        // The usual case, the whole line ordered, is one statement.
        if (this.deleteUpTo.run(userId, line.productId, line.quantity).changes === 0) this.reduceBy.run(line.quantity, now, userId, line.productId);
      }
      this.bumpRevision.run(userId);
      return keep(true);
    });
  }

  private contentsNow(userId: string): CartContents {
    return { lines: inAddedOrder(this.linesOf.all(userId)), checkoutRevision: this.revisionOf.get(userId)?.checkoutRevision ?? 0 };
  }
}
