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

/**
 * What one charge may be, in minor units of its currency, as card processors bound it (Stripe:
 * at least 0.50 of most currencies, at most 99,999,999 minor units). A 0-cent charge is no sale;
 * a bigger one is refused by the processor anyway. One bound for every currency keeps it simple.
 * The checkout refuses a cart outside them before it creates an order; a charge outside them is a
 * 422 AMOUNT_OUT_OF_BOUNDS.
 */
export const CHARGE_AMOUNT_LIMITS = { minCents: 50, maxCents: 99_999_999 } as const;

export const PAYMENT_AGGREGATE = "payment";
export const PAYMENT_EVENTS = {
  captured: "payment.captured",
  declined: "payment.declined",
  refunded: "payment.refunded",
} as const;

export interface PaymentEventPayload {
  payment: Payment;
}
