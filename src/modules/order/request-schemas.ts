import { t } from "elysia";
import { ErrorBodySchema } from "../../platform/errors";
import { CleanText } from "../../platform/http/clean-text";
import { CurrencyCode } from "../../platform/http/currency-code";
import { PageCursor, PageLimit } from "../../platform/http/cursor";
import { JsonInteger } from "../../platform/http/json-integer";
import { RecordId } from "../../platform/http/record-id";
import { Order, OrderSort, OrderStatus, SortDirection, StatsRange } from "./contract";

// What the routes read from the path, the query, the headers and the bodies; the order, its pages
// and its statistics they answer are the contract's.

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
    expectedCurrency: t.Optional(CurrencyCode({ description: "The currency of that total; another one is a 409 PRICE_CHANGED too" })),
  },
  { additionalProperties: false },
);

export const CheckoutHeaders = t.Object({
  "idempotency-key": t.String({
    minLength: 1,
    maxLength: 128,
    pattern: "^[\\w.:-]+$",
    error: "must be 1 to 128 letters, digits, underscores, dots, colons or dashes",
    description: "One per checkout attempt; retries reuse it",
  }),
});

export const OrderId = t.Object({ id: RecordId() });

const instant = (description: string) => t.String({ format: "date-time", maxLength: 40, description });

export const OrderListQuery = t.Object({
  limit: t.Optional(PageLimit),
  cursor: t.Optional(PageCursor(400, "nextCursor of the previous page, with the same sort and direction")),
  status: t.Optional(OrderStatus),
  q: t.Optional(CleanText({ maxLength: 100, description: "order id or customer username (operators)" })),
  sort: t.Optional(OrderSort),
  dir: t.Optional(SortDirection),
  from: t.Optional(instant("orders placed at or after this instant (ISO-8601)")),
  to: t.Optional(instant("orders placed before this instant (ISO-8601)")),
});

export const StatusBody = t.Object({ status: OrderStatus }, { additionalProperties: false });

export const StatsRangeQuery = t.Object({ range: t.Optional(StatsRange) });

export const StreamQuery = t.Object({ access_token: t.Optional(t.String({ maxLength: 4096, pattern: "^[\\w.~+/=-]*$", description: "the bearer token, for EventSource, which cannot send headers" })) });
