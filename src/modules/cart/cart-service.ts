import { conflict, notFound } from "../../platform/errors";
import type { CatalogApi, ProductSummary } from "../catalog";
import type { CartRepository, CartRow } from "./cart-repository";
import { MAX_CART_LINES, MAX_LINE_QUANTITY, type Cart, type CartLine, type CheckedOutLine } from "./contract";

const DEFAULT_CURRENCY = "EUR";

/**
 * Each customer's cart. Stock and prices are checked against the catalog through CatalogApi;
 * the cart never sees the catalog's tables.
 */
export class CartService {
  constructor(
    private readonly carts: CartRepository,
    private readonly catalog: CatalogApi,
  ) {}

  async get(userId: string): Promise<Cart> {
    const { lines, checkoutRevision } = await this.carts.contents(userId);
    return this.priced(lines, checkoutRevision, await this.catalog.getProducts(lines.map((r) => r.productId)));
  }

  /**
   * The cart as the customer sees it: lines priced from the catalog, lines of vanished products
   * left out. Lines in more than one currency are never summed: the total is then null.
   */
  private priced(rows: CartRow[], checkoutRevision: number, found: ProductSummary[]): Cart {
    const products = new Map(found.map((p) => [p.id, p]));
    const items: CartLine[] = [];
    for (const row of rows) {
      const product = products.get(row.productId);
      if (!product) continue; // removed from the catalog since it was added
      items.push({
        productId: row.productId,
        name: product.name,
        unitPriceCents: product.priceCents,
        currency: product.currency,
        quantity: row.quantity,
        lineTotalCents: product.priceCents * row.quantity,
      });
    }
    const currency = items[0]?.currency ?? DEFAULT_CURRENCY;
    const oneCurrency = items.every((l) => l.currency === currency);
    const totalCents = oneCurrency ? items.reduce((sum, l) => sum + l.lineTotalCents, 0) : null;
    return { items, totalCents, currency, checkoutRevision };
  }

  /** Adds to the line for this product (merging), within stock. */
  async add(userId: string, productId: string, quantity: number): Promise<Cart> {
    // One catalog call prices the new product and every line already in the cart.
    const before = await this.carts.lines(userId);
    const ids = [productId, ...before.map((r) => r.productId).filter((id) => id !== productId)];
    const found = await this.catalog.getProducts(ids);
    const product = found.find((p) => p.id === productId);
    if (!product) throw notFound("Product", productId);
    // One currency per cart: checked against every other line (an operator may have changed one's currency since).
    const other = found.find((p) => p.id !== productId && p.currency !== product.currency);
    if (other) {
      throw conflict("CURRENCY_MISMATCH", `The cart holds ${other.name} in ${other.currency}; ${product.name} is priced in ${product.currency}: one currency per cart`, {
        cartCurrency: other.currency,
        productCurrency: product.currency,
      });
    }
    // The cart is read again inside the unit that writes, after the awaits: concurrent adds never
    // lose an increment, and the unit answers with the cart as it wrote it.
    const after = await this.carts.putLine(userId, productId, ({ lines }) => {
      const existing = lines.find((r) => r.productId === productId);
      const wanted = (existing?.quantity ?? 0) + quantity;
      this.checkQuantity(product, wanted);
      if (!existing && lines.length >= MAX_CART_LINES) {
        throw conflict("CART_FULL", `A cart holds at most ${MAX_CART_LINES} different products`);
      }
      return wanted;
    });
    // A line another request of this customer added meanwhile still needs its price.
    const known = new Set(ids);
    const missing = after.lines.map((r) => r.productId).filter((id) => !known.has(id));
    return this.priced(after.lines, after.checkoutRevision, missing.length ? [...found, ...(await this.catalog.getProducts(missing))] : found);
  }

  /** Sets the quantity of a line that is already in the cart. */
  async set(userId: string, productId: string, quantity: number): Promise<Cart> {
    if (!(await this.carts.line(userId, productId))) throw notFound("Cart line for product", productId);
    const product = await this.product(productId);
    this.checkQuantity(product, quantity);
    await this.carts.putLine(userId, productId, ({ lines }) => {
      if (!lines.some((r) => r.productId === productId)) throw notFound("Cart line for product", productId);
      return quantity;
    });
    return this.get(userId);
  }

  async remove(userId: string, productId: string): Promise<Cart> {
    if (!(await this.carts.removeLine(userId, productId))) throw notFound("Cart line for product", productId);
    return this.get(userId);
  }

  clear(userId: string): Promise<void> {
    return this.carts.clear(userId);
  }

  /**
   * After checkout, from the saga's call or the order.paid event, whichever comes first: the
   * ordered quantities leave the cart once per order, anything added since stays, and what is left
   * or added next is a new checkout (the next checkout revision).
   */
  async checkedOut(userId: string, orderId: string, lines: CheckedOutLine[]): Promise<void> {
    await this.carts.checkOut(userId, orderId, lines);
  }

  private async product(productId: string): Promise<ProductSummary> {
    const [product] = await this.catalog.getProducts([productId]);
    if (!product) throw notFound("Product", productId);
    return product;
  }

  private checkQuantity(product: ProductSummary, wanted: number) {
    // The request's own quantity is bounded by its schema (422); over the bound only with what the
    // line already holds, which is the cart's state: a 409, like the stock below.
    if (wanted > MAX_LINE_QUANTITY) {
      throw conflict("QUANTITY_TOO_LARGE", `At most ${MAX_LINE_QUANTITY} of one product per cart`, { max: MAX_LINE_QUANTITY, requested: wanted });
    }
    if (wanted > product.stock) {
      throw conflict("INSUFFICIENT_STOCK", `Only ${product.stock} of ${product.name} available`, {
        productId: product.id,
        requested: wanted,
        available: product.stock,
      });
    }
  }
}
