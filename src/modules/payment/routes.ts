import { Elysia, t } from "elysia";
import { requireRole } from "../../platform/auth/guard";
import type { TokenService } from "../../platform/auth/tokens";
import { routeDoc, type RouteDoc } from "../../platform/http/route-docs";
import { ChargeRequest, Payment } from "./contract";
import { OrderIdParam, OrderIdQuery, PaymentId } from "./request-schemas";
import type { PaymentService } from "./payment-service";

const detail = (doc: Omit<RouteDoc, "tags">) => routeDoc({ tags: ["payment"], ...doc });

export function paymentRoutes(payments: PaymentService, tokens: TokenService) {
  const reads = new Elysia({ prefix: "/api/payments" })
    .use(requireRole(tokens, "customer"))
    .get("/", async ({ principal, query }) => (query.orderId ? payments.listByOrderFor(principal, query.orderId) : payments.listMine(principal)), {
      query: OrderIdQuery,
      response: t.Array(Payment),
      detail: detail({ summary: "Payments of an order (or my latest), for the owner or an operator", caller: "customer", ok: { 200: t.Array(Payment) } }),
    })
    .get("/:id", async ({ principal, params }) => payments.getFor(principal, params.id), {
      params: PaymentId,
      response: Payment,
      detail: detail({ summary: "One payment, for its owner or an operator", caller: "customer", ok: { 200: Payment }, refuses: { 404: "NOT_FOUND: no such payment (or not yours)" } }),
    });

  // Charging belongs to the order module's checkout: service callers only.
  const charge = new Elysia({ prefix: "/api/payments" }).use(requireRole(tokens, "service")).post(
    "/",
    async ({ body, set }) => {
      const payment = await payments.charge(body);
      set.status = 201;
      return payment;
    },
    {
      body: ChargeRequest,
      response: { 201: Payment },
      detail: detail({
        summary: "Charge an order (the order module's; idempotent per order: a retry answers the first payment)",
        caller: "service",
        ok: { 201: Payment },
        refuses: { 422: "INVALID_CARD_NUMBER (13 to 19 digits passing the Luhn check), AMOUNT_OUT_OF_BOUNDS (50 to 99,999,999 minor units)" },
      }),
    },
  );

  const internal = new Elysia({ prefix: "/internal/payments", detail: { hide: true } })
    .use(requireRole(tokens, "service"))
    .get("/by-order/:orderId", async ({ params }) => payments.findByOrder(params.orderId), { params: OrderIdParam })
    .post("/by-order/:orderId/refund", async ({ params }) => payments.refund(params.orderId), { params: OrderIdParam });

  return new Elysia({ name: "payment.routes" }).use(reads).use(charge).use(internal);
}
