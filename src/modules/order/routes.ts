import { Elysia, t } from "elysia";
import { bearerToken, requireRole } from "../../platform/auth/guard";
import type { TokenService } from "../../platform/auth/tokens";
import { badRequest, ErrorBodySchema, forbidden, unauthorized } from "../../platform/errors";
import { routeDoc, type RouteDoc } from "../../platform/http/route-docs";
import type { Fulfilment } from "./fulfilling/fulfilment";
import type { CheckoutEnding, CheckoutOutcome } from "./placing/checkout-outcome";
import type { CheckoutSaga } from "./placing/checkout-saga";
import type { DeclinedPaymentThrottle } from "./placing/declined-payment-throttle";
import { INTERRUPTED } from "./placing/settle-order.step";
import { CheckoutFailures, Order, OrderPage, OrderSeries, OrderStats } from "./contract";
import { CheckoutBody, CheckoutHeaders, OrderId, OrderListQuery, OrderWithError, StatsRangeQuery, StatusBody, StreamQuery } from "./request-schemas";
import type { OrderCancellation } from "./settling/cancel-order";
import { decodeOrderCursor, encodeOrderCursor } from "./viewing/order-list-cursor";
import type { OrderLiveFeed } from "./viewing/order-live-feed";
import type { OrderQueries } from "./viewing/order-queries";

const detail = (doc: Omit<RouteDoc, "tags">) => routeDoc({ tags: ["order"], ...doc });
const NO_ORDER = "NOT_FOUND: no such order (or not yours)";

type Answer = { status: number; error?: { code: string; message: string } };

/** How a checkout's ending is said in HTTP: the status, and the error beside the order when it failed. */
const ANSWER: Record<CheckoutEnding, Answer> = {
  PAID: { status: 201 },
  PENDING: { status: 202 },
  PAYMENT_FAILED: { status: 402, error: { code: "PAYMENT_FAILED", message: "The payment did not go through; the order was not placed" } },
  CANCELLED: { status: 409, error: { code: "OUT_OF_STOCK", message: "Not enough stock; the order was cancelled" } },
};

/** A checkout cut short before its charge (a crash, a service down) and cancelled by recovery: stock was not the reason. */
const INTERRUPTED_ANSWER: Answer = {
  status: 409,
  error: { code: "CHECKOUT_INTERRUPTED", message: "The checkout was interrupted before its payment and cancelled: nothing was charged and the stock is back; check out again" },
};

const answerTo = ({ ending, order }: CheckoutOutcome): Answer => (ending === "CANCELLED" && order.failureReason === INTERRUPTED ? INTERRUPTED_ANSWER : ANSWER[ending]);

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
        const answer = answerTo(outcome);
        set.status = answer.status;
        return answer.error ? { ...outcome.order, error: answer.error } : outcome.order;
      },
      {
        body: CheckoutBody,
        headers: CheckoutHeaders,
        detail: detail({
          summary: "Check out my cart (Idempotency-Key required; the same key replays the first answer)",
          caller: "customer",
          ok: { 201: Order, 202: Order },
          refuses: {
            402: "PAYMENT_FAILED: the card was declined; the order comes back with the error",
            409:
              "OUT_OF_STOCK: the order comes back cancelled, with the error; CHECKOUT_INTERRUPTED likewise, when a checkout cut short before its charge (a crash, a service down) was cancelled by recovery before this request. Refused before any order exists, in the error shape: EMPTY_CART, " +
              "CHECKOUT_IN_PROGRESS or CART_ALREADY_ORDERED (a cart is ordered at most once; details.orderId names the order holding it), " +
              "CURRENCY_MISMATCH (one currency per cart), PRICE_CHANGED (expectedTotalCents differs from the live total, in details), " +
              "AMOUNT_OUT_OF_BOUNDS (the cart's total is not 50 to 99,999,999 minor units, as card processors charge)",
            422: "INVALID_CARD_NUMBER (fails the Luhn check), IDEMPOTENCY_KEY_REUSED (with another body)",
            429: "TOO_MANY_DECLINED_PAYMENTS for this account or from this address (THROTTLE_DECLINED_PER_ACCOUNT, THROTTLE_DECLINED_PER_ADDRESS)",
          },
          bodies: { 402: OrderWithError, 409: t.Union([OrderWithError, ErrorBodySchema]) },
        }),
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
        detail: detail({
          summary: "My orders, newest first unless sorted otherwise, optionally placed within [from, to) (operators: everyone's)",
          caller: "customer",
          ok: { 200: OrderPage },
          refuses: { 400: "BAD_REQUEST: from is not before to, or a cursor made for another sort or direction (details.field names it)" },
        }),
      },
    )
    .get("/:id", async ({ principal, params }) => queries.getFor(principal, params.id), {
      params: OrderId,
      response: Order,
      detail: detail({ summary: "One of my orders (operators: any)", caller: "customer", ok: { 200: Order }, refuses: { 404: NO_ORDER } }),
    })
    .post("/:id/cancel", async ({ principal, params }) => cancellation.cancel(principal, params.id), {
      params: OrderId,
      response: Order,
      detail: detail({
        summary: "Cancel an order; a paid one is refunded and its stock released",
        caller: "customer",
        ok: { 200: Order },
        refuses: { 404: NO_ORDER, 409: "ILLEGAL_TRANSITION: it can no longer be cancelled; CHECKOUT_IN_PROGRESS: its checkout is still running" },
      }),
    });

  const operator = new Elysia({ prefix: "/api/orders" })
    .use(requireRole(tokens, "operator"))
    .get("/stats", async () => queries.stats(), {
      response: OrderStats,
      detail: detail({ summary: "Counts by status, orders in the last hour, revenue and average order value per currency", caller: "operator", ok: { 200: OrderStats } }),
    })
    .get("/stats/series", async ({ query }) => queries.series(query.range ?? "day"), {
      query: StatsRangeQuery,
      response: OrderSeries,
      detail: detail({ summary: "Orders and revenue per currency over the last hour, day (default) or week, in aligned buckets", caller: "operator", ok: { 200: OrderSeries } }),
    })
    .get("/stats/failures", async ({ query }) => queries.failures(query.range ?? "day"), {
      query: StatsRangeQuery,
      response: CheckoutFailures,
      detail: detail({ summary: "Checkouts that failed in the last hour, day (default) or week, by reason", caller: "operator", ok: { 200: CheckoutFailures } }),
    })
    .patch("/:id/status", async ({ principal, params, body }) => fulfilment.setStatus(principal, params.id, body.status), {
      params: OrderId,
      body: StatusBody,
      response: Order,
      detail: detail({
        summary: "Move an order along the state machine",
        caller: "operator",
        ok: { 200: Order },
        refuses: { 404: NO_ORDER, 409: "ILLEGAL_TRANSITION: not a move the order can make now (details.from, details.to); CANCELLATION_IN_PROGRESS: its cancellation (refund) is under way" },
      }),
    });

  // EventSource cannot send headers, so the live stream also takes the token as a query parameter.
  const stream = new Elysia({ prefix: "/api/orders" }).get(
    "/stream",
    async ({ query, headers, request, server }) => {
      const token = query.access_token ?? bearerToken(headers.authorization);
      if (!token) throw unauthorized("Missing token");
      const principal = await tokens.verify(token); // the same session check as every other route
      if (!principal) throw unauthorized("Invalid, expired or revoked token");
      if (principal.role !== "operator") throw forbidden("The live stream is for operators");
      server?.timeout(request, 0); // quiet between events and pings: not an idle connection (HTTP_IDLE_TIMEOUT_SECONDS)
      // Asked again while open: signing out or disabling the account ends the stream.
      return feed.connect(request.signal, async () => (await tokens.verify(token))?.role === "operator");
    },
    {
      query: StreamQuery,
      detail: detail({
        summary: "Live order changes (Server-Sent Events; the token as a bearer header or as access_token)",
        caller: "operator",
        ok: { 200: { contentType: "text/event-stream", schema: t.String() } },
      }),
    },
  );

  // Static segments (/stats, /stream) are registered before /:id matches them.
  return new Elysia({ name: "order.routes" }).use(operator).use(stream).use(customer);
}
