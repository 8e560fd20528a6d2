// What other modules and the dashboard may know about orders. Each shape is declared once, as the
// TypeBox schema the API checks, and its type is derived from it (Static); each list of names
// (statuses, ranges, sorts, failure reasons) once, as a const array its schema is built from.
import { Type, type Static } from "@sinclair/typebox";
import { JsonInteger } from "../../platform/http/json-integer";
import { LiteralUnion } from "../../platform/http/literal-union";

/** In lifecycle order: the status sort and the dashboard's filters follow it. */
export const ORDER_STATUSES = ["PENDING", "PAID", "SHIPPED", "DELIVERED", "CANCELLED", "PAYMENT_FAILED"] as const;
export const OrderStatus = LiteralUnion(ORDER_STATUSES);
export type OrderStatus = Static<typeof OrderStatus>;

/** Statuses whose amount counts as revenue: a cancelled paid order was refunded. */
export const REVENUE_STATUSES: readonly OrderStatus[] = ["PAID", "SHIPPED", "DELIVERED"];

/** The legal moves of the order state machine; anything else is a 409. */
export const ORDER_TRANSITIONS: Record<OrderStatus, readonly OrderStatus[]> = {
  PENDING: ["PAID", "CANCELLED", "PAYMENT_FAILED"],
  PAID: ["SHIPPED", "CANCELLED"],
  SHIPPED: ["DELIVERED"],
  DELIVERED: [],
  CANCELLED: [],
  PAYMENT_FAILED: [],
};

export const OrderLine = Type.Object({
  productId: Type.String(),
  /** Snapshot at checkout: later catalog changes do not alter a placed order. */
  name: Type.String(),
  unitPriceCents: JsonInteger(),
  quantity: JsonInteger(),
  lineTotalCents: JsonInteger(),
});
export type OrderLine = Static<typeof OrderLine>;

export const StatusChange = Type.Object({ status: OrderStatus, at: Type.String(), reason: Type.Optional(Type.String()) });
export type StatusChange = Static<typeof StatusChange>;

export const Order = Type.Object({
  id: Type.String(),
  userId: Type.String(),
  username: Type.String(),
  status: OrderStatus,
  items: Type.Array(OrderLine),
  totalCents: JsonInteger(),
  currency: Type.String(),
  paymentId: Type.Union([Type.String(), Type.Null()]),
  failureReason: Type.Union([Type.String(), Type.Null()]),
  history: Type.Array(StatusChange),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
export type Order = Static<typeof Order>;

export const OrderPage = Type.Object({ items: Type.Array(Order), nextCursor: Type.Union([Type.String(), Type.Null()]) });
export type OrderPage = Static<typeof OrderPage>;

/** How the order list can be sorted. Time is creation time; totals sort within their currency. */
export const ORDER_SORTS = ["createdAt", "totalCents", "status"] as const;
export const OrderSort = LiteralUnion(ORDER_SORTS, {
  description: "createdAt (default); totalCents sorts by currency, then amount; status in lifecycle order",
});
export type OrderSort = Static<typeof OrderSort>;

export const SORT_DIRECTIONS = ["desc", "asc"] as const;
export const SortDirection = LiteralUnion(SORT_DIRECTIONS, { description: "desc (default) or asc" });
export type SortDirection = Static<typeof SortDirection>;

/**
 * Id of the newest order event some figures include (null: none kept). Event ids grow with time,
 * so a live client adds only events with a greater id on top of these figures.
 */
const lastEventId = Type.Union([Type.String(), Type.Null()], { description: "newest order event included; a live client applies only later ones" });

/** Paid orders of one currency. Amounts in different currencies are never added together. */
export const CurrencyRevenue = Type.Object({
  currency: Type.String(),
  /** Orders that brought money in: PAID, SHIPPED or DELIVERED. */
  paidOrders: Type.Integer(),
  revenueCents: Type.Integer(),
  averageOrderValueCents: Type.Integer(),
});
export type CurrencyRevenue = Static<typeof CurrencyRevenue>;

export const OrderStats = Type.Object({
  /** Every status of ORDER_STATUSES, 0 when none. */
  countsByStatus: Type.Record(Type.String(), Type.Integer()),
  totalOrders: Type.Integer(),
  ordersLastHour: Type.Integer(),
  /** One entry per currency that has paid orders, by currency code. */
  revenueByCurrency: Type.Array(CurrencyRevenue, { description: "paid, shipped and delivered orders per currency; currencies are never added together" }),
  lastEventId,
});
export type OrderStats = Static<typeof OrderStats>;

/** The windows of the time series and failure statistics. */
export const STATS_RANGES = ["hour", "day", "week"] as const;
export const StatsRange = LiteralUnion(STATS_RANGES, { description: "the last hour, day or week" });
export type StatsRange = Static<typeof StatsRange>;

/** Orders and revenue of one currency over a range, one number per bucket. */
export const CurrencySeries = Type.Object({
  currency: Type.String(),
  /** Orders placed in each bucket, whatever became of them. */
  orders: Type.Array(Type.Integer()),
  /** Amount of the orders placed in each bucket that are paid (PAID, SHIPPED, DELIVERED). */
  revenueCents: Type.Array(Type.Integer()),
});
export type CurrencySeries = Static<typeof CurrencySeries>;

export const OrderSeries = Type.Object({
  range: StatsRange,
  /** Start of the first bucket (ISO-8601 UTC); buckets are aligned to multiples of their length. */
  from: Type.String({ description: "start of the first bucket" }),
  bucketSeconds: Type.Integer(),
  buckets: Type.Integer(),
  /** One entry per currency with orders in the range, by currency code. */
  currencies: Type.Array(CurrencySeries),
  lastEventId,
});
export type OrderSeries = Static<typeof OrderSeries>;

/** Why checkouts failed, grouped from the orders' failure reasons. */
export const CHECKOUT_FAILURE_REASONS = ["card_declined", "insufficient_funds", "out_of_stock", "product_unavailable", "interrupted", "other"] as const;
export const CheckoutFailureReason = LiteralUnion(CHECKOUT_FAILURE_REASONS);
export type CheckoutFailureReason = Static<typeof CheckoutFailureReason>;

export const CheckoutFailures = Type.Object({
  range: StatsRange,
  from: Type.String(),
  /** Checkouts placed in the range that ended CANCELLED or PAYMENT_FAILED without ever being paid. */
  total: Type.Integer(),
  /** Most frequent first; reasons with no failures are left out. */
  reasons: Type.Array(Type.Object({ reason: CheckoutFailureReason, count: Type.Integer() })),
});
export type CheckoutFailures = Static<typeof CheckoutFailures>;

export const ORDER_AGGREGATE = "order";
export const ORDER_EVENTS = {
  created: "order.created",
  paid: "order.paid",
  paymentFailed: "order.payment_failed",
  cancelled: "order.cancelled",
  statusChanged: "order.status_changed",
} as const;
export type OrderEventType = (typeof ORDER_EVENTS)[keyof typeof ORDER_EVENTS];

/** Every order event carries the order as it is after the change, so consumers need no call back. */
export const OrderEventPayload = Type.Object({ order: Order, previousStatus: Type.Union([OrderStatus, Type.Null()]) });
export type OrderEventPayload = Static<typeof OrderEventPayload>;
