import type { Logger } from "../../../platform/logger";
import type { CartApi } from "../../cart";
import type { Order } from "../contract";

/**
 * Step 4 (after PAID): the ordered lines leave the cart before the customer gets the answer, so
 * the next checkout never orders them again. Idempotent per order; if the cart cannot be reached
 * now, the `order.paid` event does it later, so a failure here is logged, not raised.
 */
export async function clearCheckedOutLines(cart: CartApi, order: Order, log: Logger): Promise<void> {
  if (order.status !== "PAID") return;
  try {
    await cart.checkedOut(order.userId, order.id, order.items.map((l) => ({ productId: l.productId, quantity: l.quantity })));
  } catch (error) {
    log.warn("cart not cleared now; the order.paid event will do it", { orderId: order.id, err: error });
  }
}
