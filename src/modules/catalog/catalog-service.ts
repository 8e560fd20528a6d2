import type { Database } from "bun:sqlite";
import type { BunSQLiteDatabase } from "drizzle-orm/bun-sqlite";
import { appendToOutbox, type NewEvent } from "../../platform/events/outbox";
import { notFound } from "../../platform/errors";
import { newId, nowIso } from "../../platform/ids";
import {
  CATALOG_AGGREGATE,
  CATALOG_EVENTS,
  type Product,
  type ReservationResult,
  type StockChangedPayload,
  type StockLine,
} from "./contract";
import { ProductRepository, type ProductQuery } from "./product-repository";
import { ReservationRepository } from "./reservation-repository";
import * as schema from "./schema";
import { joinCommitBatch } from "../../platform/db/group-commit";

export type NewProduct = Omit<Product, "id" | "createdAt" | "updatedAt" | "imageUrl" | "description"> & {
  description?: string;
  imageUrl?: string | null;
};
export type ProductChanges = Partial<NewProduct>;

const stockChanged = (productId: string, stock: number, delta: number, reason: StockChangedPayload["reason"]): NewEvent => ({
  type: CATALOG_EVENTS.stockChanged,
  aggregateType: CATALOG_AGGREGATE,
  aggregateId: productId,
  payload: { productId, stock, delta, reason } satisfies StockChangedPayload,
});

/**
 * Products and stock. Every write is one synchronous transaction that also appends its events
 * to the outbox, then nudges the relay.
 */
export class CatalogService {
  readonly products: ProductRepository;
  private readonly reservations: ReservationRepository;

  constructor(
    private readonly sqlite: Database,
    db: BunSQLiteDatabase<typeof schema>,
    private readonly onEventsWritten: () => void = () => {},
  ) {
    this.products = new ProductRepository(db, sqlite);
    this.reservations = new ReservationRepository(sqlite);
  }

  list(query: ProductQuery) {
    return this.products.list(query);
  }

  get(id: string): Product {
    const product = this.products.get(id);
    if (!product) throw notFound("Product", id);
    return product;
  }

  create(input: NewProduct): Product {
    const now = nowIso();
    const product: Product = {
      id: newId(),
      description: "",
      imageUrl: null,
      ...input,
      createdAt: now,
      updatedAt: now,
    };
    this.write(() => {
      this.products.insert(product);
      return [stockChanged(product.id, product.stock, product.stock, "created")];
    });
    return product;
  }

  update(id: string, changes: ProductChanges): Product {
    return this.write(() => {
      const before = this.products.get(id);
      if (!before) throw notFound("Product", id);
      const after = this.products.update(id, { ...changes, updatedAt: nowIso() })!;
      const events = after.stock !== before.stock ? [stockChanged(id, after.stock, after.stock - before.stock, "adjusted")] : [];
      return { result: after, events };
    });
  }

  remove(id: string): void {
    const deleted = this.products.delete(id);
    if (!deleted) throw notFound("Product", id);
  }

  reserve(reservationId: string, lines: StockLine[]): ReservationResult {
    return this.write<ReservationResult>(() => {
      const existing = this.reservations.status(reservationId);
      if (existing === "RESERVED") return { result: { ok: true, reservationId } as const, events: [] };
      if (existing === "RELEASED") return { result: { ok: false, reason: "ALREADY_RELEASED", reservationId } as const, events: [] };

      const now = nowIso();
      const events: NewEvent[] = [];
      for (const line of mergeLines(lines)) {
        const stock = this.products.takeStock(line.productId, line.quantity, now);
        if (stock === undefined) {
          // Throwing rolls back every line taken so far: all or nothing.
          const product = this.products.get(line.productId);
          throw new ReservationRefused(
            product
              ? { ok: false, reason: "INSUFFICIENT_STOCK", productId: line.productId, requested: line.quantity, available: product.stock }
              : { ok: false, reason: "UNKNOWN_PRODUCT", productId: line.productId },
          );
        }
        this.reservations.addLine(reservationId, line);
        events.push(stockChanged(line.productId, stock, -line.quantity, "reserved"));
      }
      this.reservations.create(reservationId, "RESERVED", now);
      return { result: { ok: true, reservationId } as const, events };
    });
  }

  release(reservationId: string): void {
    this.write(() => {
      const now = nowIso();
      const existing = this.reservations.status(reservationId);
      if (existing === "RELEASED") return [];
      if (!existing) {
        // A tombstone: a reserve for this id that arrives late (a retry in flight) must not take stock.
        this.reservations.create(reservationId, "RELEASED", now);
        return [];
      }
      const lines = this.reservations.lines(reservationId);
      const events: NewEvent[] = [];
      for (const line of lines) {
        const stock = this.products.giveStock(line.productId, line.quantity, now);
        if (stock !== undefined) events.push(stockChanged(line.productId, stock, line.quantity, "released"));
      }
      this.reservations.markReleased(reservationId, now);
      return events;
    });
  }

  /** Runs `work` in one immediate transaction with its events; a ReservationRefused is a result, not an error. */
  private write<T>(work: () => NewEvent[] | { result: T; events: NewEvent[] }): T {
    let wroteEvents = false;
    let result: T;
    try {
      result = joinCommitBatch(this.sqlite, () => {
        const out = work();
        const { result, events } = Array.isArray(out) ? { result: undefined as T, events: out } : out;
        if (events.length) appendToOutbox(this.sqlite, events);
        wroteEvents = events.length > 0;
        return result;
      }, "catalog");
    } catch (error) {
      if (error instanceof ReservationRefused) return error.result as T;
      throw error;
    }
    if (wroteEvents) this.onEventsWritten();
    return result;
  }
}

class ReservationRefused extends Error {
  constructor(readonly result: ReservationResult) {
    super("reservation refused");
  }
}

/** The same product twice in one request counts once, with the quantities added. */
function mergeLines(lines: StockLine[]): StockLine[] {
  const merged = new Map<string, number>();
  for (const l of lines) merged.set(l.productId, (merged.get(l.productId) ?? 0) + l.quantity);
  return [...merged].map(([productId, quantity]) => ({ productId, quantity }));
}
