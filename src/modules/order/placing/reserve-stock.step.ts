import type { CatalogApi, ReservationResult } from "../../catalog";
import type { Order } from "../contract";

/** Step 2: take stock for every line at once, keyed by the order id (a retry takes nothing twice). */
export const reserveStock = (catalog: CatalogApi, order: Order): Promise<ReservationResult> =>
  catalog.reserveStock(
    order.id,
    order.items.map((l) => ({ productId: l.productId, quantity: l.quantity })),
  );

/** Its compensation: give the stock back. Idempotent, and blocks a reserve that arrives late. */
export const releaseStock = (catalog: CatalogApi, order: Pick<Order, "id">): Promise<void> => catalog.releaseStock(order.id);

export function reservationFailureReason(order: Order, result: Exclude<ReservationResult, { ok: true }>): string {
  const name = (productId: string) => order.items.find((l) => l.productId === productId)?.name ?? productId;
  switch (result.reason) {
    case "INSUFFICIENT_STOCK":
      return `Out of stock: ${name(result.productId)} (requested ${result.requested}, available ${result.available})`;
    case "UNKNOWN_PRODUCT":
      return `Product no longer sold: ${name(result.productId)}`;
    case "ALREADY_RELEASED":
      return "Checkout was cancelled before stock could be reserved";
  }
}
