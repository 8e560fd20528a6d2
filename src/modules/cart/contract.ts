// What other modules and the dashboard may know about carts. Each shape is declared once, as the
// TypeBox schema the API checks, and its type is derived from it (Static).
import { Type, type Static } from "@sinclair/typebox";
import { JsonInteger } from "../../platform/http/json-integer";
import { RecordId } from "../../platform/http/record-id";

/** Upper bounds that keep a cart sane. */
export const MAX_LINE_QUANTITY = 100;
export const MAX_CART_LINES = 50;

export const CartLine = Type.Object({
  productId: Type.String(),
  name: Type.String(),
  /** The catalog's current price: a cart is priced live, an order is a snapshot. */
  unitPriceCents: JsonInteger({ description: "the catalog's price now: a cart is priced live" }),
  /** The catalog's current currency of the product. */
  currency: Type.String(),
  quantity: JsonInteger(),
  lineTotalCents: JsonInteger(),
});
export type CartLine = Static<typeof CartLine>;

export const Cart = Type.Object({
  items: Type.Array(CartLine),
  /**
   * The sum of the lines, or null when they are priced in more than one currency: a cart holds one
   * currency (an add in another is refused), but an operator may change a product's currency after
   * it was added. Such a cart cannot be checked out until the odd lines are removed.
   */
  totalCents: Type.Union([JsonInteger(), Type.Null()], {
    description: "null when the lines are in more than one currency (a product's currency changed after it was added): remove the odd lines to check out",
  }),
  /** The currency of the lines (the first line's when they disagree); EUR for an empty cart. */
  currency: Type.String({ description: "one currency per cart: adding a product in another is a 409 CURRENCY_MISMATCH" }),
  /**
   * Bumped each time an order's lines leave this cart (checkedOut). The order module records the
   * revision a checkout snapshotted and lets one live order hold it (a unique index): a cart's
   * contents are ordered at most once, however many checkouts race, and even while its lines
   * wait to be taken out after PAID.
   */
  checkoutRevision: JsonInteger({ description: "bumped each time an order's lines leave the cart; one live order per revision" }),
});
export type Cart = Static<typeof Cart>;

export const CheckedOutLine = Type.Object({ productId: RecordId(), quantity: JsonInteger({ minimum: 1 }) });
export type CheckedOutLine = Static<typeof CheckedOutLine>;

export interface CartApi {
  /** The user's cart priced with current catalog data (what checkout snapshots). */
  getCart(userId: string): Promise<Cart>;
  /**
   * After a paid checkout: takes the ordered quantities out of the cart, once per order id (the
   * `order.paid` event does the same if this call never arrives), keeping anything added since.
   */
  checkedOut(userId: string, orderId: string, lines: CheckedOutLine[]): Promise<void>;
}
