import type { DomainEvent, Subscription } from "../../platform/events/event";
import { ORDER_AGGREGATE, ORDER_EVENTS, type OrderEventPayload } from "../order";
import type { CartService } from "./cart-service";

/**
 * When an order is paid, its lines leave the customer's cart: the safety net behind the checkout's
 * own call (CartApi.checkedOut). Once per order whatever the redeliveries: checkedOut keeps its own
 * inbox of order ids, so no second inbox of event ids is needed (it cost a read and a write per order).
 */
export function orderPaidHandler(carts: CartService): Subscription {
  return {
    group: "cart",
    aggregateTypes: [ORDER_AGGREGATE],
    eventTypes: [ORDER_EVENTS.paid],
    handle(event: DomainEvent) {
      const { order } = event.payload as OrderEventPayload;
      return carts.checkedOut(order.userId, order.id, order.items);
    },
  };
}
