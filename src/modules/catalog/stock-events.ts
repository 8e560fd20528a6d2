import type { NewEvent } from "../../platform/events/outbox";
import { CATALOG_AGGREGATE, CATALOG_EVENTS, type Product, type ReservationResult, type StockChangedPayload, type StockLine } from "./contract";

/** The event every stock movement raises: the product's stock now, and by how much and why it moved. */
export const stockChanged = (productId: string, stock: number, delta: number, reason: StockChangedPayload["reason"]): NewEvent => ({
  type: CATALOG_EVENTS.stockChanged,
  aggregateType: CATALOG_AGGREGATE,
  aggregateId: productId,
  payload: { productId, stock, delta, reason } satisfies StockChangedPayload,
});

/** What a product's creation or edit raises: a stock that appeared or moved. */
export function productEvents(before: Product | undefined, after: Product): NewEvent[] {
  if (!before) return [stockChanged(after.id, after.stock, after.stock, "created")];
  return after.stock !== before.stock ? [stockChanged(after.id, after.stock, after.stock - before.stock, "adjusted")] : [];
}

/** Why a reservation took nothing: the line it could not take, and what the product has (when it still exists). */
export function reservationRefused(line: StockLine, product: Pick<Product, "stock"> | undefined): Exclude<ReservationResult, { ok: true }> {
  return product
    ? { ok: false, reason: "INSUFFICIENT_STOCK", productId: line.productId, requested: line.quantity, available: product.stock }
    : { ok: false, reason: "UNKNOWN_PRODUCT", productId: line.productId };
}
