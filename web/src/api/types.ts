// Shapes the dashboard reads from the API, taken from the modules' contracts (types only: nothing
// of the server ends up in the bundle) so the server and the UI cannot drift apart.
export type {
  CheckoutFailureReason,
  CheckoutFailures,
  CurrencyRevenue,
  CurrencySeries,
  Order,
  OrderLine,
  OrderPage,
  OrderSeries,
  OrderSort,
  OrderStats,
  OrderStatus,
  SortDirection,
  StatsRange,
  StatusChange,
} from "../../../src/modules/order";
export type { Product } from "../../../src/modules/catalog";
import type { Product } from "../../../src/modules/catalog";

export type Role = "customer" | "operator" | "service";

export interface Session {
  token: string;
  role: Role | string;
  userId: string;
  username: string;
}

export type { Payment, PaymentStatus } from "../../../src/modules/payment";

export interface ProductPage {
  items: Product[];
  nextCursor: string | null;
}

/** What an operator may send to create a product (the catalog's NewProduct). */
export type NewProduct = Pick<Product, "name" | "category" | "priceCents" | "currency" | "stock"> & { description?: string };
export type ProductChanges = Partial<NewProduct>;
