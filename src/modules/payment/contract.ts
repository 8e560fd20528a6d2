// What other modules may know about payments.

export type PaymentStatus = "AUTHORIZED" | "CAPTURED" | "DECLINED" | "REFUNDED";

export interface Payment {
  id: string;
  orderId: string;
  userId: string;
  amountCents: number;
  currency: string;
  status: PaymentStatus;
  /** Only the last four digits are ever kept. */
  cardLast4: string;
  declineReason: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface ChargeRequest {
  orderId: string;
  userId: string;
  amountCents: number;
  currency: string;
  cardNumber: string;
}

export interface PaymentApi {
  /** Authorizes and captures. Idempotent per order id: charging an order again returns its first payment. */
  charge(request: ChargeRequest): Promise<Payment>;
  /** Refunds the captured payment of an order. Idempotent; a declined payment has nothing to refund (409). */
  refund(orderId: string): Promise<Payment>;
  findByOrder(orderId: string): Promise<Payment | null>;
}

export const PAYMENT_AGGREGATE = "payment";
export const PAYMENT_EVENTS = {
  captured: "payment.captured",
  declined: "payment.declined",
  refunded: "payment.refunded",
} as const;

export interface PaymentEventPayload {
  payment: Payment;
}
