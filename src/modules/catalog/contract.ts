// What other modules and the dashboard may know about the catalog. Everything else in this folder
// is private. Each shape is declared once, as the TypeBox schema the API checks; its type is
// derived from it (Static), so the routes, the adapters and the dashboard cannot drift apart.
import { Type, type Static } from "@sinclair/typebox";
import { CleanText } from "../../platform/http/clean-text";
import { CurrencyCode } from "../../platform/http/currency-code";
import { JsonInteger } from "../../platform/http/json-integer";

export const Product = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: Type.String(),
  category: Type.String(),
  priceCents: JsonInteger(),
  currency: Type.String(),
  stock: JsonInteger(),
  imageUrl: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
export type Product = Static<typeof Product>;

export const ProductPage = Type.Object({ items: Type.Array(Product), nextCursor: Type.Union([Type.String(), Type.Null()]) });
export type ProductPage = Static<typeof ProductPage>;

// What an operator sends: each field says what it accepts, and a refusal names the field.
const name = CleanText({ minLength: 1, maxLength: 200 });
const description = CleanText({ maxLength: 5000, multiline: true });
const category = Type.String({
  minLength: 1,
  maxLength: 64,
  pattern: "^[a-z0-9][a-z0-9-]*$",
  description: "lower-case slug",
  error: "must be a lower-case slug: 1 to 64 letters a-z, digits and dashes, not starting with a dash",
});
const priceCents = JsonInteger({ minimum: 0, maximum: 100_000_000, description: "price in minor units (cents)" });
const currency = CurrencyCode();
const stock = JsonInteger({ minimum: 0, maximum: 1_000_000 });
// Shown to every customer: a web address only, never javascript: or an inline data: document.
const imageUrl = Type.Union([Type.String({ format: "uri", pattern: "^https?://[^/\\s]", maxLength: 2048 }), Type.Null()], {
  error: "must be an http or https URL of at most 2048 characters, or null",
});

export const NewProduct = Type.Object(
  { name, description: Type.Optional(description), category, priceCents, currency, stock, imageUrl: Type.Optional(imageUrl) },
  { additionalProperties: false },
);
export type NewProduct = Static<typeof NewProduct>;

export const ProductChanges = Type.Object(
  {
    name: Type.Optional(name),
    description: Type.Optional(description),
    category: Type.Optional(category),
    priceCents: Type.Optional(priceCents),
    currency: Type.Optional(currency),
    stock: Type.Optional(stock),
    imageUrl: Type.Optional(imageUrl),
  },
  { additionalProperties: false, minProperties: 1, error: "must change at least one field" },
);
export type ProductChanges = Static<typeof ProductChanges>;

/** The part of a product another module needs to price or snapshot a line. */
export type ProductSummary = Pick<Product, "id" | "name" | "priceCents" | "currency" | "stock">;

export const StockLine = Type.Object({ productId: Type.String({ minLength: 1, maxLength: 64 }), quantity: JsonInteger({ minimum: 1, maximum: 1000 }) });
export type StockLine = Static<typeof StockLine>;

export type ReservationResult =
  | { ok: true; reservationId: string }
  | { ok: false; reason: "INSUFFICIENT_STOCK"; productId: string; requested: number; available: number }
  | { ok: false; reason: "UNKNOWN_PRODUCT"; productId: string }
  | { ok: false; reason: "ALREADY_RELEASED"; reservationId: string };

export interface CatalogApi {
  /** Products for these ids; unknown ids are simply absent from the result. */
  getProducts(ids: string[]): Promise<ProductSummary[]>;
  /**
   * Takes stock for every line or for none. Idempotent per reservation id: a retry returns the
   * first outcome, and a released reservation can never be taken again.
   */
  reserveStock(reservationId: string, lines: StockLine[]): Promise<ReservationResult>;
  /** Gives reserved stock back. Idempotent; releasing an unknown id blocks a later reserve of it. */
  releaseStock(reservationId: string): Promise<void>;
}

export const StockChangedPayload = Type.Object({
  productId: Type.String(),
  stock: Type.Integer(),
  delta: Type.Integer(),
  reason: Type.Union([Type.Literal("reserved"), Type.Literal("released"), Type.Literal("adjusted"), Type.Literal("created")]),
});
export type StockChangedPayload = Static<typeof StockChangedPayload>;

export const CATALOG_EVENTS = { stockChanged: "product.stock_changed" } as const;
export const CATALOG_AGGREGATE = "product";
