import type { Logger } from "../../../platform/logger";
import type { CartApi } from "../../cart";
import type { CatalogApi } from "../../catalog";
import type { Payment } from "../../payment";
import type { Order } from "../contract";
import type { OrderRepository } from "../order-repository";
import { moveOrder } from "../order-status-machine";
import { declineReason } from "./charge-payment.step";
import { clearCheckedOutLines } from "./clear-cart.step";
import { releaseStock } from "./reserve-stock.step";

/** What became of an order's charge, as the payment module tells it. */
export type ChargeVerdict =
  | { captured: Payment }
  /** Declined by the card issuer, or refused before any payment existed (a 4xx from the payment module). */
  | { failed: string; paymentId: string | null }
  /** Never charged: the checkout stopped before its charge reached the payment module. */
  | { notCharged: true };

/** The verdict of the payment the module holds for an order (none: it was never charged). */
export function verdictOf(payment: Payment | null): ChargeVerdict {
  if (payment?.status === "CAPTURED") return { captured: payment };
  if (payment?.status === "DECLINED") return { failed: declineReason(payment), paymentId: payment.id };
  return { notCharged: true };
}

/** The reason an order that was never charged ends with. */
export const INTERRUPTED = "Checkout interrupted before payment";

export interface SettleDeps {
  orders: OrderRepository;
  cart: CartApi;
  catalog: CatalogApi;
  log: Logger;
}

/**
 * The checkout's last step, once the payment module has answered, run by the saga after its charge
 * and by recovery for a checkout a crash or an outage left PENDING: a captured charge makes the
 * order PAID and its lines leave the cart; anything else gives the stock back (step 2's
 * compensation) and ends it PAYMENT_FAILED, or CANCELLED when it was never charged. Only a PENDING
 * order moves: settling twice changes nothing.
 */
export async function settleOrder(deps: SettleDeps, order: Order, verdict: ChargeVerdict): Promise<Order> {
  const { orders } = deps;
  if ("captured" in verdict) {
    const paid = await orders.update(order.id, (o) => (o.status === "PENDING" ? { ...moveOrder(o, "PAID"), paymentId: verdict.captured.id } : null));
    await clearCheckedOutLines(deps.cart, paid, deps.log);
    return paid;
  }
  await releaseStock(deps.catalog, order);
  if ("failed" in verdict) {
    return orders.update(order.id, (o) => (o.status === "PENDING" ? { ...moveOrder(o, "PAYMENT_FAILED", verdict.failed), paymentId: verdict.paymentId } : null));
  }
  return orders.update(order.id, (o) => (o.status === "PENDING" ? moveOrder(o, "CANCELLED", INTERRUPTED) : null));
}
