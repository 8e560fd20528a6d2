import { conflict } from "../../platform/errors";
import type { Order, OrderSort, OrderStatus, SortDirection } from "./contract";
import type { OrderListCursor } from "./viewing/order-list-cursor";

/** Where an order stands, without its lines or history. */
export type OrderStanding = Pick<Order, "id" | "status" | "paymentId">;

/** The Idempotency-Key a checkout was placed with, and what it was placed for. */
export interface IdempotencyRecord {
  userId: string;
  key: string;
  /** HMAC of the request body (placing/idempotency.ts): the same key with another body is refused. */
  requestHash: string;
  orderId: string;
  createdAt: string;
}

export type PlacedResult =
  | { placed: true }
  | { placed: false; keyTaken: true }
  /** `heldBy` is undefined only if the holder ended between the refused insert and the look-up (not on SQLite, whose unit holds both). */
  | { placed: false; heldBy: OrderStanding | undefined };

export interface OrderListQuery {
  userId?: string;
  status?: OrderStatus;
  q?: string;
  limit: number;
  /** Default: createdAt, desc. */
  sort?: OrderSort;
  dir?: SortDirection;
  /** Placed at or after / before these instants (ISO-8601 UTC, as stored). */
  from?: string;
  to?: string;
  /** Continue after this row (its sort must be the query's). */
  after?: OrderListCursor;
}

/**
 * The order database's orders and idempotency keys, reached one way: units that write an order
 * together with the events its change raises (order-events.ts), and reads. Decisions that need the
 * order as it is inside the unit are synchronous callbacks. SQLite: order-repository.sqlite.ts.
 */
export interface OrderRepository {
  get(id: string): Promise<Order | undefined>;
  /** Just where an order stands (no lines or history to parse): what an event handler checks first. */
  standing(id: string): Promise<OrderStanding | undefined>;
  /**
   * Writes a new PENDING order at the cart revision it snapshotted, with `order.created`, and the
   * Idempotency-Key it was placed with. Writes nothing when the key is taken, or when another live
   * order holds that cart revision (a unique constraint: a cart is ordered at most once).
   */
  placePending(order: Order, cartRevision: number, key: IdempotencyRecord): Promise<PlacedResult>;
  /**
   * Re-reads the order inside the unit and writes what `change` makes of the fresh copy, so two
   * writers never overwrite each other; null writes nothing. A status move raises its event.
   */
  update(id: string, change: (current: Order) => Order | null): Promise<Order>;
  /**
   * Records, before any money moves, that a paid order's cancellation began (`check` throws when it
   * cannot be cancelled), so that a crash half-way is finished by recovery.
   */
  markCancelRequested(id: string, check: (current: Order) => void): Promise<Order>;
  /**
   * `update` for an operator's move (SHIPPED, DELIVERED): refused with 409 CANCELLATION_IN_PROGRESS
   * once the order's cancellation began (markCancelRequested), in the same unit, so an order whose
   * refund is under way is never shipped: the cancellation finishes it.
   */
  updateUnlessCancelling(id: string, change: (current: Order) => Order | null): Promise<Order>;
  list(query: OrderListQuery): Promise<{ items: Order[]; hasMore: boolean }>;
  /** Checkouts that did not finish, last touched before `olderThan`: still PENDING, or PAID with a cancellation under way. */
  unfinished(olderThan: string, limit: number): Promise<Order[]>;
  findKey(userId: string, key: string): Promise<IdempotencyRecord | undefined>;
  /** "The orders written so far are on disk": before another module acts on them. */
  writesOnDisk(): Promise<void>;
}

/** The refusal of a move by hand while the order's cancellation is under way (updateUnlessCancelling). */
export const cancellationUnderWay = (order: Order) =>
  conflict("CANCELLATION_IN_PROGRESS", `Order ${order.id} is being cancelled (its refund is under way): it will end CANCELLED`, { from: order.status });
