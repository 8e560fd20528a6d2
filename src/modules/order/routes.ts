import { Elysia, t } from "elysia";
import { bearerSecurity, requireRole } from "../../platform/auth/guard";
import type { TokenService } from "../../platform/auth/tokens";
import { forbidden, unauthorized } from "../../platform/errors";
import { decodeCursor, encodeCursor } from "../../platform/http/cursor";
import { documented } from "../../platform/http/documented";
import type { CheckoutSaga } from "./checkout/checkout-saga";
import { CheckoutBody, CheckoutHeaders, CheckoutRefused, Order, OrderId, OrderListQuery, OrderPage, OrderStats, OrderWithError, StatusBody, StreamQuery } from "./model";
import type { OrderLiveFeed } from "./order-live-feed";
import type { OrderService } from "./order-service";

const detail = (summary: string) => ({ tags: ["order"], summary, security: bearerSecurity });

const FAILURE: Record<number, { code: string; message: string }> = {
  402: { code: "PAYMENT_FAILED", message: "The payment did not go through; the order was not placed" },
  409: { code: "OUT_OF_STOCK", message: "Not enough stock; the order was cancelled" },
};

export function orderRoutes(orders: OrderService, saga: CheckoutSaga, feed: OrderLiveFeed, tokens: TokenService) {
  const customer = new Elysia({ prefix: "/api/orders" })
    .use(requireRole(tokens, "customer"))
    .post(
      "/",
      async ({ principal, body, headers, set }) => {
        const outcome = await saga.place(principal, headers["idempotency-key"], body);
        set.status = outcome.status;
        const failure = FAILURE[outcome.status];
        return failure ? { ...outcome.order, error: failure } : outcome.order;
      },
      {
        body: CheckoutBody,
        headers: CheckoutHeaders,
        detail: {
          ...detail(
            "Check out my cart (Idempotency-Key required): 201 paid, 402 payment failed, 409 out of stock (with the order). " +
              "Refused before any order exists: 409 EMPTY_CART, CHECKOUT_IN_PROGRESS or CART_ALREADY_ORDERED (a cart is ordered at most once; " +
              "details.orderId names the order holding it), CURRENCY_MISMATCH (one currency per cart), PRICE_CHANGED (expectedTotalCents differs from the live total, " +
              "in details); 422 AMOUNT_OUT_OF_BOUNDS (a charge is 50 to 99,999,999 minor units)",
          ),
          responses: documented({ 201: Order, 202: Order, 402: OrderWithError, 409: t.Union([OrderWithError, CheckoutRefused]), 422: CheckoutRefused }),
        },
      },
    )
    .get(
      "/",
      ({ principal, query }) => {
        const { items, hasMore } = orders.list(principal, {
          limit: query.limit ?? 20,
          status: query.status,
          q: query.q?.trim() || undefined,
          beforeId: decodeCursor(query.cursor),
        });
        return { items, nextCursor: hasMore ? encodeCursor(items[items.length - 1]!.id) : null };
      },
      { query: OrderListQuery, response: OrderPage, detail: detail("My orders, newest first (operators: everyone's)") },
    )
    .get("/:id", ({ principal, params }) => orders.getFor(principal, params.id), {
      params: OrderId,
      response: Order,
      detail: detail("One of my orders (operators: any)"),
    })
    .post("/:id/cancel", ({ principal, params }) => orders.cancel(principal, params.id), {
      params: OrderId,
      response: Order,
      detail: detail("Cancel an order; a paid one is refunded and its stock released"),
    });

  const operator = new Elysia({ prefix: "/api/orders" })
    .use(requireRole(tokens, "operator"))
    .get("/stats", () => orders.stats(), { response: OrderStats, detail: detail("Counts by status, revenue, average order value, last hour") })
    .patch("/:id/status", ({ principal, params, body }) => orders.setStatus(principal, params.id, body.status), {
      params: OrderId,
      body: StatusBody,
      response: Order,
      detail: detail("Move an order along the state machine (illegal moves are 409)"),
    });

  // EventSource cannot send headers, so the live stream also takes the token as a query parameter.
  const stream = new Elysia({ prefix: "/api/orders" }).get(
    "/stream",
    async ({ query, headers, request }) => {
      const token = query.access_token ?? headers.authorization?.replace(/^Bearer /, "");
      if (!token) throw unauthorized("Missing token");
      const principal = await tokens.verify(token);
      if (!principal) throw unauthorized("Invalid or expired token");
      if (principal.role !== "operator") throw forbidden("The live stream is for operators");
      return feed.connect(request.signal);
    },
    { query: StreamQuery, detail: { ...detail("Live order changes (Server-Sent Events; token as access_token)") } },
  );

  // Static segments (/stats, /stream) are registered before /:id matches them.
  return new Elysia({ name: "order.routes" }).use(operator).use(stream).use(customer);
}
