import type { CheckedOutLine } from "./contract";
import type { cartItems } from "./schema";

export type CartRow = typeof cartItems.$inferSelect;

/** A cart as stored: its lines in the order they were added, and its checkout revision (Cart.checkoutRevision). */
export interface CartContents {
  lines: CartRow[];
  checkoutRevision: number;
}

/**
 * The cart's tables (lines, checkout revisions, the inbox of orders already taken out), reached
 * one way. A cart raises no events. Decisions that need the cart as it is inside the unit are
 * synchronous callbacks. SQLite: cart-repository.sqlite.ts.
 */
export interface CartRepository {
  /** The lines and the revision, read together: a checkout snapshots one state. */
  contents(userId: string): Promise<CartContents>;
  /** The lines alone (no revision): what an add prices before it writes. */
  lines(userId: string): Promise<CartRow[]>;
  line(userId: string, productId: string): Promise<CartRow | undefined>;
  /**
   * Re-reads the cart inside the unit; `quantity` decides the line's quantity from it (or throws),
   * and the line is written, added when new. Returns the cart after the write.
   */
  putLine(userId: string, productId: string, quantity: (cart: CartContents) => number): Promise<CartContents>;
  /** Returns false when there was no such line. */
  removeLine(userId: string, productId: string): Promise<boolean>;
  clear(userId: string): Promise<void>;
  /**
   * Once per order id: takes the ordered quantities out (a line goes when nothing is left of it; a
   * missing line is left alone) and moves the cart to its next checkout revision. False when that
   * order's lines had already left.
   */
  checkOut(userId: string, orderId: string, lines: CheckedOutLine[]): Promise<boolean>;
}

const byAddedThenProduct = (a: CartRow, b: CartRow) =>
  a.addedAt < b.addedAt ? -1 : a.addedAt > b.addedAt ? 1 : a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0;

/** A cart's lines in the order they were added (ties by product id), as `contents` returns them. */
export const inAddedOrder = (rows: CartRow[]): CartRow[] => rows.sort(byAddedThenProduct);
