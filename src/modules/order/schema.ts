import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
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
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [
    index("orders_user").on(t.userId, t.id),
    index("orders_status").on(t.status, t.id),
    index("orders_created").on(t.createdAt),
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
