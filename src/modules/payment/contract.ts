// What other modules may know about payments. Each shape is declared once, as the TypeBox schema
// the API checks, and its type is derived from it (Static).
import { Type, type Static } from "@sinclair/typebox";
import { CurrencyCode } from "../../platform/http/currency-code";
import { JsonInteger } from "../../platform/http/json-integer";
import { LiteralUnion } from "../../platform/http/literal-union";
import { RecordId } from "../../platform/http/record-id";

/**
 * What one charge may be, in minor units of its currency, as card processors bound it (Stripe:
 * at least 0.50 of most currencies, at most 99,999,999 minor units). A 0-cent charge is no sale;
 * a bigger one is refused by the processor anyway. One bound for every currency keeps it simple.
 * The checkout refuses a cart outside them before it creates an order; a charge outside them is a
 * 422 AMOUNT_OUT_OF_BOUNDS.
 */
export const CHARGE_AMOUNT_LIMITS = { minCents: 50, maxCents: 99_999_999 } as const;

export const PAYMENT_STATUSES = ["AUTHORIZED", "CAPTURED", "DECLINED", "REFUNDED"] as const;
export const PaymentStatus = LiteralUnion(PAYMENT_STATUSES);
export type PaymentStatus = Static<typeof PaymentStatus>;

export const Payment = Type.Object({
  id: Type.String(),
  orderId: Type.String(),
  userId: Type.String(),
  amountCents: JsonInteger(),
  currency: Type.String(),
  status: PaymentStatus,
  /** Only the last four digits are ever kept. */
  cardLast4: Type.String(),
  declineReason: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
export type Payment = Static<typeof Payment>;

const id = RecordId();

export const ChargeRequest = Type.Object(
  {
    orderId: id,
    userId: Type.String({ minLength: 1, maxLength: 64 }),
    // Bounded by the processor (checkChargeAmount), not here: both adapters then answer the same 422.
    amountCents: JsonInteger({
      description: `minor units; ${CHARGE_AMOUNT_LIMITS.minCents} to ${CHARGE_AMOUNT_LIMITS.maxCents}, as card processors allow, or 422 AMOUNT_OUT_OF_BOUNDS`,
    }),
    currency: CurrencyCode(),
    // Checked in depth (digits, length, Luhn) by the processor; this only bounds the size.
    cardNumber: Type.String({ minLength: 1, maxLength: 32 }),
  },
  { additionalProperties: false },
);
export type ChargeRequest = Static<typeof ChargeRequest>;

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

export const PaymentEventPayload = Type.Object({ payment: Payment });
export type PaymentEventPayload = Static<typeof PaymentEventPayload>;
