// Shapes the dashboard reads from the API, and the lists they are built from: the modules'
// contracts, re-exported, so the server and the UI cannot drift apart. Nothing here declares a shape
// of its own (test/architecture/one-shape.test.ts); the values are the contracts' constant lists,
// and nothing of the server's behaviour ends up in the bundle (only the contract files load).
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
export { ORDER_SORTS, ORDER_STATUSES, REVENUE_STATUSES } from "../../../src/modules/order";
export type { NewProduct, Product, ProductChanges, ProductPage } from "../../../src/modules/catalog";
export type { Payment, PaymentStatus } from "../../../src/modules/payment";

export type Role = "customer" | "operator" | "service";

export interface Session {
  token: string;
  role: Role | string;
  userId: string;
  username: string;
}
