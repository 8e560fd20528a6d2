import type { Principal } from "../../../platform/auth/principal";
import { newId, nowIso } from "../../../platform/ids";
import type { Cart } from "../../cart";
import type { Order } from "../contract";

/** Step 1: snapshot the cart into a PENDING order (names and prices as they are now). */
export function pendingOrderFromCart(principal: Principal, cart: Cart): Order {
  const at = nowIso();
  return {
    id: newId(),
    userId: principal.userId,
    username: principal.username,
    status: "PENDING",
    items: cart.items.map((l) => ({ ...l })),
    totalCents: cart.totalCents,
    currency: cart.currency,
    paymentId: null,
    failureReason: null,
    history: [{ status: "PENDING", at }],
    createdAt: at,
    updatedAt: at,
  };
}
