import type { Database } from "bun:sqlite";
import { appendToOutbox } from "../../platform/events/outbox";
import { ORDER_AGGREGATE, ORDER_EVENTS, type Order, type OrderEventPayload, type OrderEventType, type OrderStatus } from "./contract";
import type { OrderRepository, OrderStanding } from "./order-repository";
import { joinCommitBatch } from "../../platform/db/group-commit";

const EVENT_FOR_STATUS: Partial<Record<OrderStatus, OrderEventType>> = {
  PAID: ORDER_EVENTS.paid,
  PAYMENT_FAILED: ORDER_EVENTS.paymentFailed,
  CANCELLED: ORDER_EVENTS.cancelled,
  SHIPPED: ORDER_EVENTS.statusChanged,
  DELIVERED: ORDER_EVENTS.statusChanged,
};

export type CreateResult =
  | { created: true }
  | { created: false; keyTaken: true }
  /** `heldBy` is undefined only if the holder ended between the failed insert and the look-up (not on SQLite, whose transaction holds both). */
  | { created: false; heldBy: OrderStanding | undefined };

class CartRevisionHeld extends Error {
  constructor(readonly holder: OrderStanding | undefined) {
    super("cart revision held by a live order");
  }
}

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

  /**
   * Inserts a new order at the cart revision it snapshotted, with `order.created`, plus whatever
   * `alsoInTx` writes first (the idempotency key; false: it was taken, nothing is written). When
   * another live order holds that cart revision, nothing is written either (the key neither) and
   * the holder is returned.
   */
  create(order: Order, cartRevision: number, alsoInTx: () => boolean): CreateResult {
    let result: CreateResult;
    try {
      result = joinCommitBatch(this.sqlite, () => {
        if (!alsoInTx()) return { created: false, keyTaken: true } as const;
        if (!this.repo.insert(order, cartRevision)) throw new CartRevisionHeld(this.repo.liveOrderAt(order.userId, cartRevision));
        this.appendEvent(ORDER_EVENTS.created, order, null);
        return { created: true } as const;
      }, "order");
    } catch (error) {
      if (error instanceof CartRevisionHeld) return { created: false, heldBy: error.holder }; // the key's write rolled back with it
      throw error;
    }
    if (result.created) this.onEventsWritten();
    return result;
  }

  /**
   * Re-reads the order inside the transaction and applies `change` to the fresh copy, so two
   * writers never overwrite each other. `change` returns the new order, or null to write nothing.
   */
  update(orderId: string, change: (current: Order) => Order | null): Order {
    let wrote = false;
    const result = joinCommitBatch(this.sqlite, () => {
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
