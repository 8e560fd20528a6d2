import { and, asc, eq, sql } from "drizzle-orm";
import type { BunSQLiteDatabase } from "drizzle-orm/bun-sqlite";
import * as schema from "./schema";

const { cartItems } = schema;
const param = sql.placeholder;
export type CartRow = typeof cartItems.$inferSelect;

/** SQL for cart lines, prepared once (a cart is read and written on every shopping request). */
export class CartRepository {
  private readonly linesOf;
  private readonly lineOf;
  private readonly upsertLine;
  private readonly setQuantity;
  private readonly deleteLine;
  private readonly deleteAll;

  constructor(db: BunSQLiteDatabase<typeof schema>) {
    const userAndProduct = and(eq(cartItems.userId, param("userId")), eq(cartItems.productId, param("productId")));
    this.linesOf = db.select().from(cartItems).where(eq(cartItems.userId, param("userId"))).orderBy(asc(cartItems.addedAt), asc(cartItems.productId)).prepare();
    this.lineOf = db.select().from(cartItems).where(userAndProduct).prepare();
    this.upsertLine = db
      .insert(cartItems)
      .values({ userId: param("userId"), productId: param("productId"), quantity: param("quantity"), addedAt: param("now"), updatedAt: param("now") })
      .onConflictDoUpdate({ target: [cartItems.userId, cartItems.productId], set: { quantity: sql`excluded.quantity`, updatedAt: sql`excluded.updated_at` } })
      .prepare();
    this.setQuantity = db.update(cartItems).set({ quantity: sql`${param("quantity")}`, updatedAt: sql`${param("now")}` }).where(userAndProduct).prepare();
    this.deleteLine = db.delete(cartItems).where(userAndProduct).returning({ productId: cartItems.productId }).prepare();
    this.deleteAll = db.delete(cartItems).where(eq(cartItems.userId, param("userId"))).prepare();
  }

  lines(userId: string): CartRow[] {
    return this.linesOf.all({ userId });
  }

  line(userId: string, productId: string): CartRow | undefined {
    return this.lineOf.get({ userId, productId });
  }

  /** Sets a line's quantity, adding the line when it is new. */
  put(userId: string, productId: string, quantity: number, now: string): void {
    this.upsertLine.run({ userId, productId, quantity, now });
  }

  setLineQuantity(userId: string, productId: string, quantity: number, now: string): void {
    this.setQuantity.run({ userId, productId, quantity, now });
  }

  /** Returns false when there was no such line. */
  remove(userId: string, productId: string): boolean {
    return this.deleteLine.all({ userId, productId }).length > 0;
  }

  clear(userId: string): void {
    this.deleteAll.run({ userId });
  }
}
