// What an operator can do to an order in each status: the moves of the order state machine that
// people make (the checkout makes the others). A finished order has none, so it shows no buttons.
import type { OrderStatus } from "../api/types";

export type OrderAction = "ship" | "deliver" | "cancel";

/** test/web/order-actions.test.ts checks this against the server's ORDER_TRANSITIONS. */
export const ACTIONS_BY_STATUS: Record<OrderStatus, readonly OrderAction[]> = {
  PENDING: ["cancel"],
  PAID: ["ship", "cancel"],
  SHIPPED: ["deliver"],
  DELIVERED: [],
  CANCELLED: [],
  PAYMENT_FAILED: [],
};

export const actionsFor = (status: OrderStatus): readonly OrderAction[] => ACTIONS_BY_STATUS[status] ?? [];
