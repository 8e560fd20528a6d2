// The payment module's tables on PostgreSQL (schema.ts holds the SQLite ones), in the schema "payment".
import { index, integer, pgTable, text } from "drizzle-orm/pg-core";
import { instant } from "../../platform/db/postgres/columns";
import { PAYMENT_STATUSES } from "./contract";

export { outbox, outboxRelay, processedEvents } from "../../platform/events/outbox-postgres-schema";

export const payments = pgTable(
  "payments",
  {
    id: text("id").primaryKey(),
    // Unique: the database itself guarantees one payment per order, however many retries.
    orderId: text("order_id").notNull().unique(),
    userId: text("user_id").notNull(),
    amountCents: integer("amount_cents").notNull(),
    currency: text("currency").notNull(),
    status: text("status", { enum: PAYMENT_STATUSES }).notNull(),
    cardLast4: text("card_last4").notNull(),
    declineReason: text("decline_reason"),
    createdAt: instant("created_at").notNull(),
    updatedAt: instant("updated_at").notNull(),
  },
  (t) => [index("payments_user").on(t.userId, t.id)],
);
