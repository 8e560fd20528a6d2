import { t } from "elysia";
import type { TLiteral, TUnion } from "@sinclair/typebox";
import { CHECKOUT_FAILURE_REASONS, ORDER_SORTS, STATS_RANGES } from "./contract";

type Literals<T extends readonly string[]> = { -readonly [K in keyof T]: TLiteral<T[K]> };

/** A union of the contract's literals, typed as the same union. */
function literals<T extends readonly string[]>(values: T, options?: { description: string }): TUnion<Literals<T>> {
  return t.Union(values.map((v) => t.Literal(v)), options) as unknown as TUnion<Literals<T>>;
}
import { ErrorBodySchema } from "../../platform/errors";
import { CleanText } from "../../platform/http/clean-text";
import { JsonInteger } from "../../platform/http/json-integer";

// Literals, not t.UnionEnum: Elysia fills an optional UnionEnum query field with its first value.
const status = t.Union([
  t.Literal("PENDING"),
  t.Literal("PAID"),
  t.Literal("SHIPPED"),
  t.Literal("DELIVERED"),
  t.Literal("CANCELLED"),
  t.Literal("PAYMENT_FAILED"),
]);

const Line = t.Object({ productId: t.String(), name: t.String(), unitPriceCents: JsonInteger(), quantity: JsonInteger(), lineTotalCents: JsonInteger() });

export const Order = t.Object({
  id: t.String(),
  userId: t.String(),
  username: t.String(),
  status,
  items: t.Array(Line),
  totalCents: JsonInteger(),
  currency: t.String(),
  paymentId: t.Union([t.String(), t.Null()]),
  failureReason: t.Union([t.String(), t.Null()]),
  history: t.Array(t.Object({ status, at: t.String(), reason: t.Optional(t.String()) })),
  createdAt: t.String(),
  updatedAt: t.String(),
});

/** A checkout that ended in failure still created an order: it comes back with the error. */
export const OrderWithError = t.Composite([Order, t.Object({ error: t.Optional(ErrorBodySchema.properties.error) })]);

export const CheckoutBody = t.Object(
  {
    cardNumber: t.String({
      pattern: "^(?:[0-9][ -]?){12,18}[0-9]$",
      error: "must be 13 to 19 digits (a space or dash may separate them)",
      description:
        "13 to 19 digits (a space or dash between two is ignored) whose last one is the Luhn check digit, or 422 INVALID_CARD_NUMBER. Test cards: ...4242 pays, ...0002 is declined, ...9995 has insufficient funds",
    }),
    expectedTotalCents: t.Optional(
      JsonInteger({
        minimum: 0,
        description: "The cart total the customer saw. The cart is priced live: if its total now differs, 409 PRICE_CHANGED with the new total, and nothing is ordered or charged. Without it, today's prices are charged",
      }),
    ),
    expectedCurrency: t.Optional(t.String({ pattern: "^[A-Z]{3}$", description: "The currency of that total; another one is a 409 PRICE_CHANGED too" })),
  },
  { additionalProperties: false },
);

export const CheckoutHeaders = t.Object({
  "idempotency-key": t.String({ minLength: 1, maxLength: 128, pattern: "^[\\w.:-]+$", description: "One per checkout attempt; retries reuse it" }),
});

export const OrderId = t.Object({ id: t.String({ minLength: 1, maxLength: 64, pattern: "^[\\w-]+$" }) });

const instant = (description: string) => t.String({ format: "date-time", maxLength: 40, description });

export const OrderListQuery = t.Object({
  limit: t.Optional(t.Integer({ minimum: 1, maximum: 100, default: 20 })),
  cursor: t.Optional(t.String({ maxLength: 400, pattern: "^[\\w-]*$", description: "nextCursor of the previous page, with the same sort and direction" })),
  status: t.Optional(status),
  q: t.Optional(CleanText({ maxLength: 100, description: "order id or customer username (operators)" })),
  sort: t.Optional(
    literals(ORDER_SORTS, { description: "createdAt (default); totalCents sorts by currency, then amount; status in lifecycle order" }),
  ),
  dir: t.Optional(t.Union([t.Literal("desc"), t.Literal("asc")], { description: "desc (default) or asc" })),
  from: t.Optional(instant("orders placed at or after this instant (ISO-8601)")),
  to: t.Optional(instant("orders placed before this instant (ISO-8601)")),
});

export const OrderPage = t.Object({ items: t.Array(Order), nextCursor: t.Union([t.String(), t.Null()]) });

export const StatusBody = t.Object({ status }, { additionalProperties: false });

const lastEventId = t.Union([t.String(), t.Null()], { description: "newest order event included; a live client applies only later ones" });

export const OrderStats = t.Object({
  countsByStatus: t.Record(t.String(), t.Integer()),
  totalOrders: t.Integer(),
  ordersLastHour: t.Integer(),
  revenueByCurrency: t.Array(
    t.Object({ currency: t.String(), paidOrders: t.Integer(), revenueCents: t.Integer(), averageOrderValueCents: t.Integer() }),
    { description: "paid, shipped and delivered orders per currency; currencies are never added together" },
  ),
  lastEventId,
});

const range = literals(STATS_RANGES, { description: "the last hour, day or week" });

export const StatsRangeQuery = t.Object({ range: t.Optional(range) });

export const OrderSeries = t.Object({
  range,
  from: t.String({ description: "start of the first bucket" }),
  bucketSeconds: t.Integer(),
  buckets: t.Integer(),
  currencies: t.Array(t.Object({ currency: t.String(), orders: t.Array(t.Integer()), revenueCents: t.Array(t.Integer()) })),
  lastEventId,
});

const failureReason = literals(CHECKOUT_FAILURE_REASONS);

export const CheckoutFailures = t.Object({
  range,
  from: t.String(),
  total: t.Integer(),
  reasons: t.Array(t.Object({ reason: failureReason, count: t.Integer() })),
});

export const StreamQuery = t.Object({ access_token: t.Optional(t.String({ maxLength: 4096, pattern: "^[\\w.~+/=-]*$", description: "the bearer token, for EventSource, which cannot send headers" })) });
