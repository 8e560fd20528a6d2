// What other modules may know about carts.

export interface CartLine {
  productId: string;
  name: string;
  /** The catalog's current price: a cart is priced live, an order is a snapshot. */
  unitPriceCents: number;
  quantity: number;
  lineTotalCents: number;
}

export interface Cart {
  items: CartLine[];
  totalCents: number;
  currency: string;
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
