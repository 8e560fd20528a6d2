import { Elysia, t } from "elysia";
import { bearerSecurity, requireRole } from "../../platform/auth/guard";
import type { TokenService } from "../../platform/auth/tokens";
import { ChargeBody, OrderIdParam, OrderIdQuery, Payment, PaymentId } from "./model";
import type { PaymentService } from "./payment-service";

const detail = (summary: string) => ({ tags: ["payment"], summary, security: bearerSecurity });

export function paymentRoutes(payments: PaymentService, tokens: TokenService) {
  const reads = new Elysia({ prefix: "/api/payments" })
    .use(requireRole(tokens, "customer"))
    .get("/", async ({ principal, query }) => (query.orderId ? payments.listByOrderFor(principal, query.orderId) : payments.listMine(principal)), {
      query: OrderIdQuery,
      response: t.Array(Payment),
      detail: detail("Payments of an order (or my latest), for the owner or an operator"),
    })
    .get("/:id", async ({ principal, params }) => payments.getFor(principal, params.id), {
      params: PaymentId,
      response: Payment,
      detail: detail("One payment, for its owner or an operator"),
    });

  // Charging belongs to the order module's checkout: service callers only.
  const charge = new Elysia({ prefix: "/api/payments" }).use(requireRole(tokens, "service")).post(
    "/",
    async ({ body, set }) => {
      const payment = await payments.charge(body);
      set.status = 201;
      return payment;
    },
    { body: ChargeBody, response: { 201: Payment }, detail: detail("Charge an order (the order module's; idempotent per order)") },
  );

  const internal = new Elysia({ prefix: "/internal/payments", detail: { hide: true } })
    .use(requireRole(tokens, "service"))
    .get("/by-order/:orderId", async ({ params }) => payments.findByOrder(params.orderId), { params: OrderIdParam })
    .post("/by-order/:orderId/refund", async ({ params }) => payments.refund(params.orderId), { params: OrderIdParam });

  return new Elysia({ name: "payment.routes" }).use(reads).use(charge).use(internal);
}
