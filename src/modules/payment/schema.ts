import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { PAYMENT_STATUSES } from "./contract";

export { outbox, outboxRelay, processedEvents } from "../../platform/events/outbox-schema";

export const payments = sqliteTable(
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
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [index("payments_user").on(t.userId, t.id)],
);
