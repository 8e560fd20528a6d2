// What other modules and the dashboard may know about orders.

export const ORDER_STATUSES = ["PENDING", "PAID", "SHIPPED", "DELIVERED", "CANCELLED", "PAYMENT_FAILED"] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export interface OrderLine {
  productId: string;
  /** Snapshot at checkout: later catalog changes do not alter a placed order. */
  name: string;
  unitPriceCents: number;
  quantity: number;
  lineTotalCents: number;
}

export interface StatusChange {
  status: OrderStatus;
  at: string;
  reason?: string;
}

export interface Order {
  id: string;
  userId: string;
  username: string;
  status: OrderStatus;
  items: OrderLine[];
  totalCents: number;
  currency: string;
  paymentId: string | null;
  failureReason: string | null;
  history: StatusChange[];
  createdAt: string;
  updatedAt: string;
}

export interface OrderPage {
  items: Order[];
  nextCursor: string | null;
}

/** Paid orders of one currency. Amounts in different currencies are never added together. */
export interface CurrencyRevenue {
  currency: string;
  /** Orders that brought money in: PAID, SHIPPED or DELIVERED. */
  paidOrders: number;
  revenueCents: number;
  averageOrderValueCents: number;
}

export interface OrderStats {
  countsByStatus: Record<OrderStatus, number>;
  totalOrders: number;
  ordersLastHour: number;
  /** One entry per currency that has paid orders, by currency code. */
  revenueByCurrency: CurrencyRevenue[];
  /**
   * Id of the newest order event these figures include (null: none kept). Event ids grow with
   * time, so a live client adds only events with a greater id on top of these figures.
   */
  lastEventId: string | null;
}

/** The windows of the time series and failure statistics. */
export const STATS_RANGES = ["hour", "day", "week"] as const;
export type StatsRange = (typeof STATS_RANGES)[number];

/** Orders and revenue of one currency over a range, one number per bucket. */
export interface CurrencySeries {
  currency: string;
  /** Orders placed in each bucket, whatever became of them. */
  orders: number[];
  /** Amount of the orders placed in each bucket that are paid (PAID, SHIPPED, DELIVERED). */
  revenueCents: number[];
}

export interface OrderSeries {
  range: StatsRange;
  /** Start of the first bucket (ISO-8601 UTC); buckets are aligned to multiples of their length. */
  from: string;
  bucketSeconds: number;
  buckets: number;
  /** One entry per currency with orders in the range, by currency code. */
  currencies: CurrencySeries[];
  lastEventId: string | null;
}

/** Why checkouts failed, grouped from the orders' failure reasons. */
export const CHECKOUT_FAILURE_REASONS = ["card_declined", "insufficient_funds", "out_of_stock", "product_unavailable", "interrupted", "other"] as const;
export type CheckoutFailureReason = (typeof CHECKOUT_FAILURE_REASONS)[number];

export interface CheckoutFailures {
  range: StatsRange;
  from: string;
  /** Checkouts placed in the range that ended CANCELLED or PAYMENT_FAILED without ever being paid. */
  total: number;
  /** Most frequent first; reasons with no failures are left out. */
  reasons: Array<{ reason: CheckoutFailureReason; count: number }>;
}

/** How the order list can be sorted. Time is creation time; totals sort within their currency. */
export const ORDER_SORTS = ["createdAt", "totalCents", "status"] as const;
export type OrderSort = (typeof ORDER_SORTS)[number];
export type SortDirection = "asc" | "desc";

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
export interface OrderEventPayload {
  order: Order;
  previousStatus: OrderStatus | null;
}

/** The legal moves of the order state machine; anything else is a 409. */
export const ORDER_TRANSITIONS: Record<OrderStatus, readonly OrderStatus[]> = {
  PENDING: ["PAID", "CANCELLED", "PAYMENT_FAILED"],
  PAID: ["SHIPPED", "CANCELLED"],
  SHIPPED: ["DELIVERED"],
  DELIVERED: [],
  CANCELLED: [],
  PAYMENT_FAILED: [],
};
