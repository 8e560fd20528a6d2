// The order module's tables on PostgreSQL (schema.ts holds the SQLite ones), in the schema "order"
// (a reserved word: quoted wherever it is named; the connection's search_path names it once).
import { index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex } from "drizzle-orm/pg-core";
import { instant } from "../../platform/db/postgres/columns";
import type { OrderLine, OrderStatus, StatusChange } from "./contract";

export { outbox, outboxRelay, processedEvents } from "../../platform/events/outbox-postgres-schema";
/** The declined-payment throttle's counts, shared by the order replicas. */
export { rateLimits } from "../../platform/throttling/rate-limits-postgres-schema";

/** An order is one aggregate: its lines and history are snapshots kept as jsonb beside it. */
export const orders = pgTable(
  "orders",
  {
    id: text("id").primaryKey(),
    userId: text("user_id").notNull(),
    username: text("username").notNull(),
    status: text("status").$type<OrderStatus>().notNull(),
    items: jsonb("items").$type<OrderLine[]>().notNull(),
    totalCents: integer("total_cents").notNull(),
    currency: text("currency").notNull(),
    paymentId: text("payment_id"),
    failureReason: text("failure_reason"),
    history: jsonb("history").$type<StatusChange[]>().notNull(),
    /** Set before refunding a paid order, so a crash mid-cancel is finished on restart. */
    cancelRequestedAt: instant("cancel_requested_at"),
    /** The cart's checkout revision this order holds while live; null once it ends unpaid (schema.ts). */
    cartRevision: integer("cart_revision"),
    createdAt: instant("created_at").notNull(),
    updatedAt: instant("updated_at").notNull(),
  },
  (t) => [
    index("orders_user").on(t.userId, t.id),
    index("orders_status").on(t.status, t.id),
    index("orders_created").on(t.createdAt),
    // One live order per customer and cart revision: nulls never collide (NULLS DISTINCT, the
    // default), so an order that ended unpaid lets the cart be checked out again.
    uniqueIndex("orders_live_cart_revision").on(t.userId, t.cartRevision),
  ],
);

/** One row per (customer, Idempotency-Key): a retried checkout finds its first order here. */
export const idempotencyKeys = pgTable(
  "idempotency_keys",
  {
    userId: text("user_id").notNull(),
    key: text("key").notNull(),
    /** HMAC of the request body: the same key with another body is refused. */
    requestHash: text("request_hash").notNull(),
    orderId: text("order_id").notNull(),
    createdAt: instant("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.key] })],
);
