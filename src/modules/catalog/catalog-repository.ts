import type { Product, ProductSummary, ReservationResult, StockLine } from "./contract";

export interface ProductQuery {
  q?: string;
  category?: string;
  limit: number;
  afterId?: string;
}

/**
 * The catalog's tables (products, reservations and their lines), reached one way: units that
 * write rows together with the events they raise (stock-events.ts), and reads. SQLite:
 * catalog-repository.sqlite.ts.
 */
export interface CatalogRepository {
  /** Products by id, after `afterId`, filtered by a search text and a category. */
  list(query: ProductQuery): Promise<{ items: Product[]; hasMore: boolean }>;
  get(id: string): Promise<Product | undefined>;
  /** Summaries for these ids; unknown ids are absent. */
  summaries(ids: string[]): Promise<ProductSummary[]>;
  count(): Promise<number>;
  create(product: Product): Promise<void>;
  /** Re-reads the product inside the unit and writes what `change` makes of it (`change` throws when there is none). */
  update(id: string, change: (current: Product | undefined) => Product): Promise<Product>;
  /** Returns false when there was no such product. */
  remove(id: string): Promise<boolean>;
  /**
   * Takes stock for every line or for none, with conditional updates (stock >= quantity, never
   * read-then-write) in one unit; the lines are distinct products. Idempotent per reservation id:
   * a reserved one answers ok again, a released one ALREADY_RELEASED.
   */
  reserve(reservationId: string, lines: StockLine[]): Promise<ReservationResult>;
  /** Gives a reservation's stock back, once; an unknown id is recorded as released, so a reserve arriving late takes nothing. */
  release(reservationId: string): Promise<void>;
}
