import { acrossBoundary } from "../../platform/db/group-commit";
import { ServiceClient, type ServiceClientOptions } from "../../platform/http/service-client";
import type { Payment, PaymentApi } from "./contract";
import type { PaymentService } from "./payment-service";

export function inProcessPaymentApi(payments: PaymentService): PaymentApi {
  return {
    charge: (request) => acrossBoundary(() => payments.charge(request)),
    refund: (orderId) => acrossBoundary(() => payments.refund(orderId)),
    findByOrder: (orderId) => acrossBoundary(() => payments.findByOrder(orderId)),
  };
}

export function httpPaymentApi(options: Omit<ServiceClientOptions, "dependency">): PaymentApi {
  const http = new ServiceClient({ ...options, dependency: "payment" });
  return {
    charge: (request) => http.request<Payment>("POST", "/api/payments", request),
    refund: (orderId) => http.request<Payment>("POST", `/internal/payments/by-order/${encodeURIComponent(orderId)}/refund`),
    findByOrder: async (orderId) => (await http.request<Payment | null>("GET", `/internal/payments/by-order/${encodeURIComponent(orderId)}`)) ?? null,
  };
}
