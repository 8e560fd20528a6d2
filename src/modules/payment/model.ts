import { t } from "elysia";
import { JsonInteger } from "../../platform/http/json-integer";
import { CHARGE_AMOUNT_LIMITS } from "./contract";

export const Payment = t.Object({
  id: t.String(),
  orderId: t.String(),
  userId: t.String(),
  amountCents: JsonInteger(),
  currency: t.String(),
  status: t.Union([t.Literal("AUTHORIZED"), t.Literal("CAPTURED"), t.Literal("DECLINED"), t.Literal("REFUNDED")]),
  cardLast4: t.String(),
  declineReason: t.Union([t.String(), t.Null()]),
  createdAt: t.String(),
  updatedAt: t.String(),
});

const id = t.String({ minLength: 1, maxLength: 64, pattern: "^[\\w-]+$" });

export const ChargeBody = t.Object(
  {
    orderId: id,
    userId: t.String({ minLength: 1, maxLength: 64 }),
    // Bounded by the processor (checkChargeAmount), not here: both adapters then answer the same 422.
    amountCents: JsonInteger({
      description: `minor units; ${CHARGE_AMOUNT_LIMITS.minCents} to ${CHARGE_AMOUNT_LIMITS.maxCents}, as card processors allow, or 422 AMOUNT_OUT_OF_BOUNDS`,
    }),
    currency: t.String({ pattern: "^[A-Z]{3}$" }),
    // Checked in depth (digits, length, Luhn) by the processor; this only bounds the size.
    cardNumber: t.String({ minLength: 1, maxLength: 32 }),
  },
  { additionalProperties: false },
);

export const PaymentId = t.Object({ id });
export const OrderIdQuery = t.Object({ orderId: t.Optional(id) });
export const OrderIdParam = t.Object({ orderId: id });
