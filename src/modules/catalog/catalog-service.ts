import { notFound } from "../../platform/errors";
import { newId, nowIso } from "../../platform/ids";
import type { CatalogRepository, ProductQuery } from "./catalog-repository";
import type { NewProduct, Product, ProductChanges, ProductSummary, ReservationResult, StockLine } from "./contract";

/** Products and stock: every write goes through CatalogRepository's units, with its events. */
export class CatalogService {
  constructor(private readonly catalog: CatalogRepository) {}

  list(query: ProductQuery) {
    return this.catalog.list(query);
  }

  async get(id: string): Promise<Product> {
    const product = await this.catalog.get(id);
    if (!product) throw notFound("Product", id);
    return product;
  }

  summaries(ids: string[]): Promise<ProductSummary[]> {
    return this.catalog.summaries(ids);
  }

  async create(input: NewProduct): Promise<Product> {
    const now = nowIso();
    const product: Product = { id: newId(), description: "", imageUrl: null, ...input, createdAt: now, updatedAt: now };
    await this.catalog.create(product);
    return product;
  }

  update(id: string, changes: ProductChanges): Promise<Product> {
    return this.catalog.update(id, (current) => {
      if (!current) throw notFound("Product", id);
      const next: Product = { ...current, updatedAt: nowIso() };
      for (const [key, value] of Object.entries(changes)) if (value !== undefined) Object.assign(next, { [key]: value });
      return next;
    });
  }

  async remove(id: string): Promise<void> {
    if (!(await this.catalog.remove(id))) throw notFound("Product", id);
  }

  reserve(reservationId: string, lines: StockLine[]): Promise<ReservationResult> {
    return this.catalog.reserve(reservationId, mergeLines(lines));
  }

  release(reservationId: string): Promise<void> {
    return this.catalog.release(reservationId);
  }

  /** Fills an empty catalog (the demo's products); a catalog with any product is left alone. */
  async seed(products: readonly NewProduct[]): Promise<number> {
    if ((await this.catalog.count()) > 0) return 0;
    for (const product of products) await this.create(product);
    return products.length;
  }
}

/** The same product twice in one request counts once, with the quantities added. */
function mergeLines(lines: StockLine[]): StockLine[] {
  const merged = new Map<string, number>();
  for (const l of lines) merged.set(l.productId, (merged.get(l.productId) ?? 0) + l.quantity);
  return [...merged].map(([productId, quantity]) => ({ productId, quantity }));
}
