import type { Database } from "bun:sqlite";
import { appendToOutbox } from "../../platform/events/outbox";
import { ORDER_AGGREGATE, ORDER_EVENTS, type Order, type OrderEventPayload, type OrderEventType, type OrderStatus } from "./contract";
import type { OrderRepository } from "./order-repository";
import { inTransaction } from "../../platform/db/transaction";

const EVENT_FOR_STATUS: Partial<Record<OrderStatus, OrderEventType>> = {
  PAID: ORDER_EVENTS.paid,
  PAYMENT_FAILED: ORDER_EVENTS.paymentFailed,
  CANCELLED: ORDER_EVENTS.cancelled,
  SHIPPED: ORDER_EVENTS.statusChanged,
  DELIVERED: ORDER_EVENTS.statusChanged,
};

/**
 * Writes an order change together with its event, in one synchronous transaction: the
 * outbox can never hold an event for a change that did not commit, nor miss one that did.
 */
export class OrderStore {
  constructor(
    private readonly sqlite: Database,
    readonly repo: OrderRepository,
    private readonly onEventsWritten: () => void,
  ) {}

  /** Inserts a new order with `order.created`, plus whatever `alsoInTx` writes (the idempotency key). */
  create(order: Order, alsoInTx: () => boolean): boolean {
    const created = inTransaction(this.sqlite, () => {
      if (!alsoInTx()) return false;
      this.repo.insert(order);
      this.appendEvent(ORDER_EVENTS.created, order, null);
      return true;
    }, "order");
    if (created) this.onEventsWritten();
    return created;
  }

  /**
   * Re-reads the order inside the transaction and applies `change` to the fresh copy, so two
   * writers never overwrite each other. `change` returns the new order, or null to write nothing.
   */
  update(orderId: string, change: (current: Order) => Order | null): Order {
    let wrote = false;
    const result = inTransaction(this.sqlite, () => {
      const current = this.repo.get(orderId);
      if (!current) throw new Error(`order ${orderId} vanished`);
      const next = change(current);
      if (!next) return current;
      this.repo.save(next);
      const type = next.status !== current.status ? EVENT_FOR_STATUS[next.status] : undefined;
      if (type) {
        this.appendEvent(type, next, current.status);
        wrote = true;
      }
      return next;
    }, "order");
    if (wrote) this.onEventsWritten();
    return result;
  }

  private appendEvent(type: OrderEventType, order: Order, previousStatus: OrderStatus | null) {
    const payload: OrderEventPayload = { order, previousStatus };
    appendToOutbox(this.sqlite, [{ type, aggregateType: ORDER_AGGREGATE, aggregateId: order.id, payload }]);
  }
}
