import type { Database } from "bun:sqlite";
import { conflict, notFound } from "../../platform/errors";
import { nowIso } from "../../platform/ids";
import type { CatalogApi, ProductSummary } from "../catalog";
import { createInbox, type Inbox } from "../../platform/events/inbox";
import { CartRepository, inAddedOrder, type CartRow } from "./cart-repository";
import { MAX_CART_LINES, MAX_LINE_QUANTITY, type Cart, type CartLine, type CheckedOutLine } from "./contract";
import { inTransaction } from "../../platform/db/transaction";

const DEFAULT_CURRENCY = "EUR";

/**
 * Each customer's cart. Stock and prices are checked against the catalog through CatalogApi;
 * the cart never sees the catalog's tables.
 */
export class CartService {
  private readonly repo: CartRepository;
  /** Order ids whose lines already left the cart. */
  private readonly checkouts: Inbox;

  constructor(
    private readonly sqlite: Database,
    private readonly catalog: CatalogApi,
  ) {
    this.repo = new CartRepository(sqlite);
    this.checkouts = createInbox(sqlite, "cart-checkouts");
  }

  async get(userId: string): Promise<Cart> {
    // The lines and the revision are read together (no await between): a checkout snapshots one state.
    const rows = this.rows(userId);
    const revision = this.repo.checkoutRevision(userId);
    return this.priced(rows, revision, await this.catalog.getProducts(rows.map((r) => r.productId)));
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
    const before = this.rows(userId);
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
    // Read and write in one synchronous transaction, after the awaits: concurrent adds never lose an
    // increment. The lines read here plus this write are the cart afterwards: no second read.
    let revision = 0;
    const after = inTransaction(this.sqlite, () => {
      const rows = this.rows(userId);
      revision = this.repo.checkoutRevision(userId);
      const existing = rows.find((r) => r.productId === productId);
      const wanted = (existing?.quantity ?? 0) + quantity;
      this.checkQuantity(product, wanted);
      if (!existing && rows.length >= MAX_CART_LINES) {
        throw conflict("CART_FULL", `A cart holds at most ${MAX_CART_LINES} different products`);
      }
      const now = nowIso();
      this.repo.put(userId, productId, wanted, now);
      if (existing) return rows.map((r) => (r === existing ? { ...r, quantity: wanted, updatedAt: now } : r));
      return inAddedOrder([...rows, { userId, productId, quantity: wanted, addedAt: now, updatedAt: now }]);
    }, "cart");
    // A line another request of this customer added meanwhile still needs its price.
    const known = new Set(ids);
    const missing = after.map((r) => r.productId).filter((id) => !known.has(id));
    return this.priced(after, revision, missing.length ? [...found, ...(await this.catalog.getProducts(missing))] : found);
  }

  /** Sets the quantity of a line that is already in the cart. */
  async set(userId: string, productId: string, quantity: number): Promise<Cart> {
    if (!this.line(userId, productId)) throw notFound("Cart line for product", productId);
    const product = await this.product(productId);
    this.checkQuantity(product, quantity);
    inTransaction(this.sqlite, () => {
      if (!this.line(userId, productId)) throw notFound("Cart line for product", productId);
      this.upsert(userId, productId, quantity);
    }, "cart");
    return this.get(userId);
  }

  async remove(userId: string, productId: string): Promise<Cart> {
    if (!this.repo.remove(userId, productId)) throw notFound("Cart line for product", productId);
    return this.get(userId);
  }

  clear(userId: string): void {
    this.repo.clear(userId);
  }

  /** After checkout, from the saga's call or the order.paid event, whichever comes first. */
  checkedOut(userId: string, orderId: string, lines: CheckedOutLine[]): void {
    inTransaction(this.sqlite, () => this.removeCheckedOutLines(userId, orderId, lines), "cart");
  }

  /**
   * Takes the ordered quantities out once per order, keeping anything added since, and moves the
   * cart to its next checkout revision: what is left or added next is a new checkout. Call inside
   * a transaction.
   */
  private removeCheckedOutLines(userId: string, orderId: string, lines: CheckedOutLine[]): void {
    if (!this.checkouts.claim(orderId)) return;
    const now = nowIso();
    for (const line of lines) this.repo.takeOut(userId, line.productId, line.quantity, now);
    this.repo.nextCheckoutRevision(userId);
  }

  private rows(userId: string) {
    return this.repo.lines(userId);
  }

  private line(userId: string, productId: string) {
    return this.repo.line(userId, productId);
  }

  private upsert(userId: string, productId: string, quantity: number) {
    this.repo.put(userId, productId, quantity, nowIso());
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
