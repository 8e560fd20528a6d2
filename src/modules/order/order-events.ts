import type { NewEvent } from "../../platform/events/outbox";
import { ORDER_AGGREGATE, ORDER_EVENTS, type Order, type OrderEventPayload, type OrderEventType, type OrderStatus } from "./contract";

const EVENT_FOR_STATUS: Partial<Record<OrderStatus, OrderEventType>> = {
  PAID: ORDER_EVENTS.paid,
  PAYMENT_FAILED: ORDER_EVENTS.paymentFailed,
  CANCELLED: ORDER_EVENTS.cancelled,
  SHIPPED: ORDER_EVENTS.statusChanged,
  DELIVERED: ORDER_EVENTS.statusChanged,
};

/**
 * The event an order's change raises: `order.created` for a new order, one per status move; other
 * changes (a cancellation's recorded intent) raise none. Every event carries the order as it is
 * after the change.
 */
export function orderEvents(before: Order | undefined, after: Order): NewEvent[] {
  const type = !before ? ORDER_EVENTS.created : after.status !== before.status ? EVENT_FOR_STATUS[after.status] : undefined;
  if (!type) return [];
  const payload: OrderEventPayload = { order: after, previousStatus: before?.status ?? null };
  return [{ type, aggregateType: ORDER_AGGREGATE, aggregateId: after.id, payload }];
}
