import { and, asc, eq, gt, inArray, sql, type SQL } from "drizzle-orm";
import { containsText } from "../../platform/db/contains-text";
import type { BunSQLiteDatabase } from "drizzle-orm/bun-sqlite";
import type { Product, ProductSummary } from "./contract";
import * as schema from "./schema";

const { products } = schema;
type Db = BunSQLiteDatabase<typeof schema>;

export interface ProductQuery {
  q?: string;
  category?: string;
  limit: number;
  afterId?: string;
}

/** SQL for products. Synchronous, so callers can compose it inside one transaction. */
export class ProductRepository {
  constructor(private readonly db: Db) {}

  list(query: ProductQuery): { items: Product[]; hasMore: boolean } {
    const filters: SQL[] = [];
    if (query.q) filters.push(containsText(query.q, [products.name, products.description, products.category]));
    if (query.category) filters.push(eq(products.category, query.category));
    if (query.afterId) filters.push(gt(products.id, query.afterId));
    const rows = this.db
      .select()
      .from(products)
      .where(filters.length ? and(...filters) : undefined)
      .orderBy(asc(products.id))
      .limit(query.limit + 1)
      .all();
    return { items: rows.slice(0, query.limit), hasMore: rows.length > query.limit };
  }

  get(id: string): Product | undefined {
    return this.db.select().from(products).where(eq(products.id, id)).get();
  }

  summaries(ids: string[]): ProductSummary[] {
    if (ids.length === 0) return [];
    return this.db
      .select({ id: products.id, name: products.name, priceCents: products.priceCents, currency: products.currency, stock: products.stock })
      .from(products)
      .where(inArray(products.id, ids))
      .all();
  }

  insert(product: Product): void {
    this.db.insert(products).values(product).run();
  }

  update(id: string, changes: Partial<Omit<Product, "id" | "createdAt">>): Product | undefined {
    return this.db.update(products).set(changes).where(eq(products.id, id)).returning().get();
  }

  delete(id: string): boolean {
    return this.db.delete(products).where(eq(products.id, id)).returning({ id: products.id }).all().length > 0;
  }

  count(): number {
    return this.db.select({ n: sql<number>`count(*)` }).from(products).get()?.n ?? 0;
  }

  /** Takes `quantity` only if that much is there: a conditional update, never read-then-write. */
  takeStock(productId: string, quantity: number, now: string): number | undefined {
    const row = this.db
      .update(products)
      .set({ stock: sql`${products.stock} - ${quantity}`, updatedAt: now })
      .where(and(eq(products.id, productId), sql`${products.stock} >= ${quantity}`))
      .returning({ stock: products.stock })
      .get();
    return row?.stock;
  }

  giveStock(productId: string, quantity: number, now: string): number | undefined {
    const row = this.db
      .update(products)
      .set({ stock: sql`${products.stock} + ${quantity}`, updatedAt: now })
      .where(eq(products.id, productId))
      .returning({ stock: products.stock })
      .get();
    return row?.stock;
  }

  categories(): string[] {
    return this.db.selectDistinct({ c: products.category }).from(products).orderBy(asc(products.category)).all().map((r) => r.c);
  }
}

