// Shapes the dashboard reads from the API. Order types come from the order module's contract so
// the server and the UI cannot drift apart.
export type { Order, OrderLine, OrderStats, OrderStatus, StatusChange, OrderPage } from "../../../src/modules/order/contract";
import type { Order, OrderStats } from "../../../src/modules/order/contract";

export type Role = "customer" | "operator" | "service";

export interface Session {
  token: string;
  role: Role | string;
  userId: string;
  username: string;
}

export type PaymentStatus = "AUTHORIZED" | "CAPTURED" | "DECLINED" | "REFUNDED";

export interface Payment {
  id: string;
  orderId: string;
  amountCents: number;
  currency: string;
  status: PaymentStatus;
  cardLast4: string;
  createdAt: string;
  updatedAt: string;
}

export type OrderEventType = "order.created" | "order.paid" | "order.payment_failed" | "order.cancelled" | "order.status_changed";

export interface OrderEventMessage {
  type: OrderEventType | string;
  order: Order;
}

export type StatsMessage = OrderStats;
