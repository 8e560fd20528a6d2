import { sql } from "drizzle-orm";
import { check, index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

export { outbox, outboxRelay, processedEvents } from "../../platform/events/outbox-schema";

export const products = sqliteTable(
  "products",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    category: text("category").notNull(),
    priceCents: integer("price_cents").notNull(),
    currency: text("currency").notNull(),
    stock: integer("stock").notNull(),
    imageUrl: text("image_url"),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [
    index("products_category").on(t.category, t.id),
    // The database itself refuses negative stock: the last line of defence against overselling.
    check("products_stock_non_negative", sql`${t.stock} >= 0`),
    check("products_price_non_negative", sql`${t.priceCents} >= 0`),
  ],
);

/**
 * A reservation holds stock for one order (its id is the order id), all lines or none. Both
 * reservation tables are WITHOUT ROWID since migration 0002 (drizzle-kit cannot express it).
 */
export const reservations = sqliteTable("reservations", {
  id: text("id").primaryKey(),
  status: text("status", { enum: ["RESERVED", "RELEASED"] }).notNull(),
  createdAt: text("created_at").notNull(),
  updatedAt: text("updated_at").notNull(),
});

export const reservationLines = sqliteTable(
  "reservation_lines",
  {
    reservationId: text("reservation_id").notNull(),
    productId: text("product_id").notNull(),
    quantity: integer("quantity").notNull(),
  },
  (t) => [primaryKey({ columns: [t.reservationId, t.productId] })],
);
