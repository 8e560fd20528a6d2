import { Elysia, t } from "elysia";
import { bearerSecurity, bearerToken, requireRole } from "../../platform/auth/guard";
import type { TokenService } from "../../platform/auth/tokens";
import { badRequest, forbidden, unauthorized } from "../../platform/errors";
import { documented } from "../../platform/http/documented";
import type { Fulfilment } from "./fulfilling/fulfilment";
import type { CheckoutEnding } from "./placing/checkout-outcome";
import type { CheckoutSaga } from "./placing/checkout-saga";
import type { DeclinedPaymentThrottle } from "./placing/declined-payment-throttle";
import {
  CheckoutBody,
  CheckoutFailures,
  CheckoutHeaders,
  CheckoutRefused,
  Order,
  OrderId,
  OrderListQuery,
  OrderPage,
  OrderSeries,
  OrderStats,
  OrderWithError,
  StatsRangeQuery,
  StatusBody,
  StreamQuery,
} from "./model";
import type { OrderCancellation } from "./settling/cancel-order";
import { decodeOrderCursor, encodeOrderCursor } from "./viewing/order-list-cursor";
import type { OrderLiveFeed } from "./viewing/order-live-feed";
import type { OrderQueries } from "./viewing/order-queries";

const detail = (summary: string) => ({ tags: ["order"], summary, security: bearerSecurity });

/** How a checkout's ending is said in HTTP: the status, and the error beside the order when it failed. */
const ANSWER: Record<CheckoutEnding, { status: number; error?: { code: string; message: string } }> = {
  PAID: { status: 201 },
  PENDING: { status: 202 },
  PAYMENT_FAILED: { status: 402, error: { code: "PAYMENT_FAILED", message: "The payment did not go through; the order was not placed" } },
  CANCELLED: { status: 409, error: { code: "OUT_OF_STOCK", message: "Not enough stock; the order was cancelled" } },
};

export interface OrderRouteParts {
  queries: OrderQueries;
  saga: CheckoutSaga;
  cancellation: OrderCancellation;
  fulfilment: Fulfilment;
  feed: OrderLiveFeed;
  declines: DeclinedPaymentThrottle;
}

/** A date-time query value as stored (ISO-8601 UTC with milliseconds), so that text comparison is time order. */
function instant(value: string | undefined, field: string): string | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw badRequest(`Invalid query: ${field} is not a date-time`, { field });
  return new Date(ms).toISOString();
}

export function orderRoutes({ queries, saga, cancellation, fulfilment, feed, declines }: OrderRouteParts, tokens: TokenService) {
  const customer = new Elysia({ prefix: "/api/orders" })
    .use(requireRole(tokens, "customer"))
    .post(
      "/",
      async ({ principal, body, headers, set, request, server }) => {
        const outcome = await declines.around(principal, headers["idempotency-key"], request, server, () => saga.place(principal, headers["idempotency-key"], body));
        const answer = ANSWER[outcome.ending];
        set.status = answer.status;
        return answer.error ? { ...outcome.order, error: answer.error } : outcome.order;
      },
      {
        body: CheckoutBody,
        headers: CheckoutHeaders,
        detail: {
          ...detail(
            "Check out my cart (Idempotency-Key required): 201 paid, 402 payment failed, 409 out of stock (with the order). " +
              "Refused before any order exists: 409 EMPTY_CART, CHECKOUT_IN_PROGRESS or CART_ALREADY_ORDERED (a cart is ordered at most once; " +
              "details.orderId names the order holding it), CURRENCY_MISMATCH (one currency per cart), PRICE_CHANGED (expectedTotalCents differs from the live total, " +
              "in details); 422 AMOUNT_OUT_OF_BOUNDS (a charge is 50 to 99,999,999 minor units); 429 too many declined payments",
          ),
          responses: documented({ 201: Order, 202: Order, 402: OrderWithError, 409: t.Union([OrderWithError, CheckoutRefused]), 422: CheckoutRefused }),
        },
      },
    )
    .get(
      "/",
      async ({ principal, query }) => {
        const sort = query.sort ?? "createdAt";
        const dir = query.dir ?? "desc";
        const from = instant(query.from, "from");
        const to = instant(query.to, "to");
        if (from && to && from >= to) throw badRequest("Invalid query: from must be before to", { field: "from" });
        const { items, hasMore } = await queries.list(principal, {
          limit: query.limit ?? 20,
          status: query.status,
          q: query.q?.trim() || undefined,
          sort,
          dir,
          from,
          to,
          after: decodeOrderCursor(query.cursor, sort, dir),
        });
        return { items, nextCursor: hasMore ? encodeOrderCursor(sort, dir, items[items.length - 1]!) : null };
      },
      {
        query: OrderListQuery,
        response: OrderPage,
        detail: detail("My orders, newest first unless sorted otherwise, optionally placed within [from, to) (operators: everyone's)"),
      },
    )
    .get("/:id", async ({ principal, params }) => queries.getFor(principal, params.id), {
      params: OrderId,
      response: Order,
      detail: detail("One of my orders (operators: any)"),
    })
    .post("/:id/cancel", async ({ principal, params }) => cancellation.cancel(principal, params.id), {
      params: OrderId,
      response: Order,
      detail: detail("Cancel an order; a paid one is refunded and its stock released"),
    });

  const operator = new Elysia({ prefix: "/api/orders" })
    .use(requireRole(tokens, "operator"))
    .get("/stats", async () => queries.stats(), {
      response: OrderStats,
      detail: detail("Counts by status, orders in the last hour, revenue and average order value per currency"),
    })
    .get("/stats/series", async ({ query }) => queries.series(query.range ?? "day"), {
      query: StatsRangeQuery,
      response: OrderSeries,
      detail: detail("Orders and revenue per currency over the last hour, day (default) or week, in aligned buckets"),
    })
    .get("/stats/failures", async ({ query }) => queries.failures(query.range ?? "day"), {
      query: StatsRangeQuery,
      response: CheckoutFailures,
      detail: detail("Checkouts that failed in the last hour, day (default) or week, by reason"),
    })
    .patch("/:id/status", async ({ principal, params, body }) => fulfilment.setStatus(principal, params.id, body.status), {
      params: OrderId,
      body: StatusBody,
      response: Order,
      detail: detail("Move an order along the state machine (illegal moves are 409)"),
    });

  // EventSource cannot send headers, so the live stream also takes the token as a query parameter.
  const stream = new Elysia({ prefix: "/api/orders" }).get(
    "/stream",
    async ({ query, headers, request }) => {
      const token = query.access_token ?? bearerToken(headers.authorization);
      if (!token) throw unauthorized("Missing token");
      const principal = await tokens.verify(token); // the same session check as every other route
      if (!principal) throw unauthorized("Invalid, expired or revoked token");
      if (principal.role !== "operator") throw forbidden("The live stream is for operators");
      return feed.connect(request.signal);
    },
    { query: StreamQuery, detail: { ...detail("Live order changes (Server-Sent Events; token as access_token)") } },
  );

  // Static segments (/stats, /stream) are registered before /:id matches them.
  return new Elysia({ name: "order.routes" }).use(operator).use(stream).use(customer);
}
