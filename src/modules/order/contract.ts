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

export interface OrderStats {
  countsByStatus: Record<OrderStatus, number>;
  /** Sum of paid, shipped and delivered orders in minor units (the shop sells in one currency). */
  revenueCents: number;
  averageOrderValueCents: number;
  currency: string;
  ordersLastHour: number;
  totalOrders: number;
}

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

export const canMove = (from: OrderStatus, to: OrderStatus) => ORDER_TRANSITIONS[from].includes(to);
