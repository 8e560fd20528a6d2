import type { Principal } from "../../../platform/auth/principal";
import { conflict, type AppError } from "../../../platform/errors";
import { newId, nowIso } from "../../../platform/ids";
import type { Order } from "../contract";
import type { IdempotencyRecord, OrderRepository, OrderStanding, PlacedResult } from "../order-repository";
import type { OrderableCart } from "./check-cart.step";

/**
 * Step 1: the PENDING order, written with the Idempotency-Key that placed it, at the cart revision
 * it snapshotted. Its compensation is the order's own ending (settle-order.step.ts).
 */
export const createPendingOrder = (orders: OrderRepository, order: Order, cartRevision: number, key: IdempotencyRecord): Promise<PlacedResult> =>
  orders.placePending(order, cartRevision, key);

/** The cart snapshotted into a PENDING order: names and prices as they are now. */
export function pendingOrderFromCart(principal: Principal, cart: OrderableCart): Order {
  const at = nowIso();
  return {
    id: newId(),
    userId: principal.userId,
    username: principal.username,
    status: "PENDING",
    items: cart.items.map((l) => ({ productId: l.productId, name: l.name, unitPriceCents: l.unitPriceCents, quantity: l.quantity, lineTotalCents: l.lineTotalCents })),
    totalCents: cart.totalCents,
    currency: cart.currency,
    paymentId: null,
    failureReason: null,
    history: [{ status: "PENDING", at }],
    createdAt: at,
    updatedAt: at,
  };
}

/**
 * Why step 1 wrote nothing: another live order holds this cart's checkout revision (the unique
 * index orders_live_cart_revision). Either it is still running, or it was placed and its lines
 * have not left the cart yet: in both cases this cart is already being ordered.
 */
export function cartAlreadyOrdered(holder: OrderStanding | undefined): AppError {
  if (!holder) return conflict("CHECKOUT_IN_PROGRESS", "Another checkout of this cart is running; look at your orders before trying again");
  const details = { orderId: holder.id, status: holder.status };
  if (holder.status === "PENDING") {
    return conflict("CHECKOUT_IN_PROGRESS", `Another checkout of this cart is running (order ${holder.id}); nothing was ordered twice. Wait for it, then look at that order`, details);
  }
  return conflict("CART_ALREADY_ORDERED", `This cart was already ordered (order ${holder.id}, ${holder.status}); nothing was ordered twice`, details);
}
