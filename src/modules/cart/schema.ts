import { integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

export { outbox, outboxRelay, processedEvents } from "../../platform/events/outbox-schema";

/**
 * One row per product in a customer's cart; prices are not stored, they come from the catalog.
 * A WITHOUT ROWID table since migration 0002 (drizzle-kit cannot express it): the key is the row.
 */
export const cartItems = sqliteTable(
  "cart_items",
  {
    userId: text("user_id").notNull(),
    productId: text("product_id").notNull(),
    quantity: integer("quantity").notNull(),
    addedAt: text("added_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.productId] })],
);

/**
 * One row per cart that was ever checked out: its checkout revision (see Cart.checkoutRevision),
 * bumped in the transaction that takes an order's lines out. No row: revision 0.
 * A WITHOUT ROWID table since migration 0004, like cart_items.
 */
export const carts = sqliteTable("carts", {
  userId: text("user_id").primaryKey(),
  checkoutRevision: integer("checkout_revision").notNull(),
});
