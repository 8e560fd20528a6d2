// The cart's tables on PostgreSQL (schema.ts holds the SQLite ones), in the schema "cart".
import { integer, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { instant } from "../../platform/db/postgres/columns";

export { outbox, outboxRelay, processedEvents } from "../../platform/events/outbox-postgres-schema";

/** One row per product in a customer's cart; prices are not stored, they come from the catalog. */
export const cartItems = pgTable(
  "cart_items",
  {
    userId: text("user_id").notNull(),
    productId: text("product_id").notNull(),
    quantity: integer("quantity").notNull(),
    addedAt: instant("added_at").notNull(),
    updatedAt: instant("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.productId] })],
);

/**
 * One row per cart that was ever checked out: its checkout revision (see Cart.checkoutRevision),
 * bumped in the transaction that takes an order's lines out. No row: revision 0.
 */
export const carts = pgTable("carts", {
  userId: text("user_id").primaryKey(),
  checkoutRevision: integer("checkout_revision").notNull(),
});
