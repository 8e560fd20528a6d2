// The catalog's tables on PostgreSQL (schema.ts holds the SQLite ones), in the schema "catalog"
// (the connection's search_path: names here are unqualified). Same constraints as on SQLite.
import { sql } from "drizzle-orm";
import { check, index, integer, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { instant } from "../../platform/db/postgres/columns";

export { outbox, outboxRelay, processedEvents } from "../../platform/events/outbox-postgres-schema";

export const products = pgTable(
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
    createdAt: instant("created_at").notNull(),
    updatedAt: instant("updated_at").notNull(),
  },
  (t) => [
    index("products_category").on(t.category, t.id),
    // The database itself refuses negative stock: the last line of defence against overselling.
    check("products_stock_non_negative", sql`${t.stock} >= 0`),
    check("products_price_non_negative", sql`${t.priceCents} >= 0`),
  ],
);

/** A reservation holds stock for one order (its id is the order id), all lines or none. */
export const reservations = pgTable("reservations", {
  id: text("id").primaryKey(),
  status: text("status", { enum: ["RESERVED", "RELEASED"] }).notNull(),
  createdAt: instant("created_at").notNull(),
  updatedAt: instant("updated_at").notNull(),
});

export const reservationLines = pgTable(
  "reservation_lines",
  {
    reservationId: text("reservation_id").notNull(),
    productId: text("product_id").notNull(),
    quantity: integer("quantity").notNull(),
  },
  (t) => [primaryKey({ columns: [t.reservationId, t.productId] })],
);
