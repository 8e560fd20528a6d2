import { sql } from "drizzle-orm";
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
    /** The cart's checkout revision this order snapshotted (Cart.checkoutRevision); null before migration 0003. */
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
    // a failed or cancelled order leaves the index, so the customer can try again. A constraint,
    // not a lock: it holds across crashes and across order replicas on one database.
    uniqueIndex("orders_one_live_per_cart_revision")
      .on(t.userId, t.cartRevision)
      .where(sql`status IN ('PENDING', 'PAID', 'SHIPPED', 'DELIVERED')`),
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
