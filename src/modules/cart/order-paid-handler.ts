import type { Database } from "bun:sqlite";
import type { DomainEvent, Subscription } from "../../platform/events/event";
import { createInbox } from "../../platform/events/inbox";
import { ORDER_AGGREGATE, ORDER_EVENTS, type OrderEventPayload } from "../order";
import type { CartService } from "./cart-service";

/**
 * When an order is paid, its lines leave the customer's cart: the safety net behind the checkout's
 * own call (CartApi.checkedOut), once per event and once per order, whatever the redeliveries.
 */
export function orderPaidHandler(sqlite: Database, carts: CartService): Subscription {
  const inbox = createInbox(sqlite, "cart");
  return {
    group: "cart",
    aggregateTypes: [ORDER_AGGREGATE],
    eventTypes: [ORDER_EVENTS.paid],
    handle(event: DomainEvent) {
      const { order } = event.payload as OrderEventPayload;
      inbox.handleOnce(event.id, () => carts.removeCheckedOutLines(order.userId, order.id, order.items));
    },
  };
}
