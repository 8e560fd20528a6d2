// What other modules may know about the catalog. Everything else in this folder is private.

export interface Product {
  id: string;
  name: string;
  description: string;
  category: string;
  priceCents: number;
  currency: string;
  stock: number;
  imageUrl: string | null;
  createdAt: string;
  updatedAt: string;
}

/** The part of a product another module needs to price or snapshot a line. */
export interface ProductSummary {
  id: string;
  name: string;
  priceCents: number;
  currency: string;
  stock: number;
}

export interface StockLine {
  productId: string;
  quantity: number;
}

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

export interface StockChangedPayload {
  productId: string;
  stock: number;
  delta: number;
  reason: "reserved" | "released" | "adjusted" | "created";
}

export const CATALOG_EVENTS = { stockChanged: "product.stock_changed" } as const;
export const CATALOG_AGGREGATE = "product";
