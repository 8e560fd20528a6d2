import { t } from "elysia";

// Literals, not t.UnionEnum: Elysia fills an optional UnionEnum query field with its first value.
const status = t.Union([
  t.Literal("PENDING"),
  t.Literal("PAID"),
  t.Literal("SHIPPED"),
  t.Literal("DELIVERED"),
  t.Literal("CANCELLED"),
  t.Literal("PAYMENT_FAILED"),
]);

const Line = t.Object({ productId: t.String(), name: t.String(), unitPriceCents: t.Integer(), quantity: t.Integer(), lineTotalCents: t.Integer() });

export const Order = t.Object({
  id: t.String(),
  userId: t.String(),
  username: t.String(),
  status,
  items: t.Array(Line),
  totalCents: t.Integer(),
  currency: t.String(),
  paymentId: t.Union([t.String(), t.Null()]),
  failureReason: t.Union([t.String(), t.Null()]),
  history: t.Array(t.Object({ status, at: t.String(), reason: t.Optional(t.String()) })),
  createdAt: t.String(),
  updatedAt: t.String(),
});

/** A checkout that ended in failure still created an order: it comes back with the error. */
export const OrderWithError = t.Composite([
  Order,
  t.Object({ error: t.Optional(t.Object({ code: t.String(), message: t.String() })) }),
]);

export const CheckoutBody = t.Object(
  { cardNumber: t.String({ minLength: 1, maxLength: 32, description: "Test cards: ...4242 pays, ...0002 is declined, ...9995 has insufficient funds" }) },
  { additionalProperties: false },
);

export const CheckoutHeaders = t.Object({
  "idempotency-key": t.String({ minLength: 1, maxLength: 128, pattern: "^[\\w.:-]+$", description: "One per checkout attempt; retries reuse it" }),
});

export const OrderId = t.Object({ id: t.String({ minLength: 1, maxLength: 64, pattern: "^[\\w-]+$" }) });

export const OrderListQuery = t.Object({
  limit: t.Optional(t.Integer({ minimum: 1, maximum: 100, default: 20 })),
  cursor: t.Optional(t.String({ maxLength: 200 })),
  status: t.Optional(status),
  q: t.Optional(t.String({ maxLength: 100, description: "order id or customer username (operators)" })),
});

export const OrderPage = t.Object({ items: t.Array(Order), nextCursor: t.Union([t.String(), t.Null()]) });

export const StatusBody = t.Object({ status }, { additionalProperties: false });

export const OrderStats = t.Object({
  countsByStatus: t.Record(t.String(), t.Integer()),
  revenueCents: t.Integer(),
  averageOrderValueCents: t.Integer(),
  currency: t.String(),
  ordersLastHour: t.Integer(),
  totalOrders: t.Integer(),
});

export const StreamQuery = t.Object({ access_token: t.Optional(t.String({ maxLength: 4096 })) });
