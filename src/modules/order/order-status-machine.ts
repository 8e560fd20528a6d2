import { conflict } from "../../platform/errors";
import { nowIso } from "../../platform/ids";
import { ORDER_TRANSITIONS, type Order, type OrderStatus } from "./contract";

/** Whether the state machine (ORDER_TRANSITIONS of the contract) allows this move. */
export const canMove = (from: OrderStatus, to: OrderStatus) => ORDER_TRANSITIONS[from].includes(to);

/**
 * The aggregate guards its own status: every move is checked against the state machine and
 * recorded in the history. An illegal move is always a 409, never silently ignored.
 */
export function moveOrder(order: Order, to: OrderStatus, reason?: string): Order {
  if (!canMove(order.status, to)) {
    const allowed = ORDER_TRANSITIONS[order.status];
    throw conflict("ILLEGAL_TRANSITION", `Order ${order.id} is ${order.status} and cannot become ${to}`, {
      from: order.status,
      to,
      allowed,
    });
  }
  const at = nowIso();
  return {
    ...order,
    status: to,
    failureReason: to === "CANCELLED" || to === "PAYMENT_FAILED" ? (reason ?? null) : order.failureReason,
    history: [...order.history, reason ? { status: to, at, reason } : { status: to, at }],
    updatedAt: at,
  };
}
