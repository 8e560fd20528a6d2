import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import type { OrderLine, OrderStatus, StatusChange } from "./contract";

export { outbox, outboxRelay, processedEvents } from "../../platform/events/outbox-schema";

/** An order is one aggregate: its lines and history are snapshots kept as JSON beside it. */
export const orders = sqliteTable(
  "orders",
  {
    id: text("id").primaryKey(),
    userId: text("user_id").notNull(),
    username: text("username").notNull(),
    status: text("status").$type<OrderStatus>().notNull(),
    items: text("items", { mode: "json" }).$type<OrderLine[]>().notNull(),
    totalCents: integer("total_cents").notNull(),
    currency: text("currency").notNull(),
    paymentId: text("payment_id"),
    failureReason: text("failure_reason"),
    history: text("history", { mode: "json" }).$type<StatusChange[]>().notNull(),
    /** Set before refunding a paid order, so a crash mid-cancel is finished on restart. */
    cancelRequestedAt: text("cancel_requested_at"),
    /**
     * The cart's checkout revision this order snapshotted (Cart.checkoutRevision), held while the
     * order is live: set back to null when it ends unpaid (CANCELLED, PAYMENT_FAILED), so the cart
     * can be checked out again. Null too for orders placed before migration 0003.
     */
    cartRevision: integer("cart_revision"),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [
    index("orders_user").on(t.userId, t.id),
    index("orders_status").on(t.status, t.id),
    index("orders_created").on(t.createdAt),
    // A cart's contents are ordered at most once: one live order per customer and cart revision.
    // A second checkout of the same cart (another tab, a double click, a script) fails to insert;
    // an order that ends unpaid lets go of its revision (null, and nulls never collide), so the
    // customer can try again. A constraint, not a lock: it holds across crashes and across order
    // replicas on one database. Not a partial index on status: the PAID move would rewrite its
    // entry in every checkout; this one is written at the insert and on the unpaid ends only.
    uniqueIndex("orders_live_cart_revision").on(t.userId, t.cartRevision),
  ],
);

/** One row per (customer, Idempotency-Key): a retried checkout finds its first order here. */
export const idempotencyKeys = sqliteTable(
  "idempotency_keys",
  {
    userId: text("user_id").notNull(),
    key: text("key").notNull(),
    /** HMAC of the request body: the same key with another body is refused. */
    requestHash: text("request_hash").notNull(),
    /** Its order's history says what to answer a retry: the first status after PENDING. */
    orderId: text("order_id").notNull(),
    createdAt: text("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.key] })],
);
