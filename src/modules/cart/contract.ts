// What other modules may know about carts.

export interface CartLine {
  productId: string;
  name: string;
  /** The catalog's current price: a cart is priced live, an order is a snapshot. */
  unitPriceCents: number;
  /** The catalog's current currency of the product. */
  currency: string;
  quantity: number;
  lineTotalCents: number;
}

export interface Cart {
  items: CartLine[];
  /**
   * The sum of the lines, or null when they are priced in more than one currency: a cart holds one
   * currency (an add in another is refused), but an operator may change a product's currency after
   * it was added. Such a cart cannot be checked out until the odd lines are removed.
   */
  totalCents: number | null;
  /** The currency of the lines (the first line's when they disagree); EUR for an empty cart. */
  currency: string;
  /**
   * Bumped each time an order's lines leave this cart (checkedOut). The order module records the
   * revision a checkout snapshotted and lets one live order hold it (a unique index): a cart's
   * contents are ordered at most once, however many checkouts race, and even while its lines
   * wait to be taken out after PAID.
   */
  checkoutRevision: number;
}

export interface CartApi {
  /** The user's cart priced with current catalog data (what checkout snapshots). */
  getCart(userId: string): Promise<Cart>;
  /**
   * After a paid checkout: takes the ordered quantities out of the cart, once per order id (the
   * `order.paid` event does the same if this call never arrives), keeping anything added since.
   */
  checkedOut(userId: string, orderId: string, lines: CheckedOutLine[]): Promise<void>;
}

export interface CheckedOutLine {
  productId: string;
  quantity: number;
}

/** Upper bounds that keep a cart sane. */
export const MAX_LINE_QUANTITY = 100;
export const MAX_CART_LINES = 50;
