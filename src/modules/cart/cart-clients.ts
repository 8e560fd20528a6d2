import { acrossBoundary } from "../../platform/db/group-commit";
import { ServiceClient, type ServiceClientOptions } from "../../platform/http/service-client";
import type { CartService } from "./cart-service";
import type { Cart, CartApi } from "./contract";

export function inProcessCartApi(carts: CartService): CartApi {
  return {
    getCart: (userId) => acrossBoundary(() => carts.get(userId)), // the order snapshots it: committed lines only
    checkedOut: (userId, orderId, lines) => acrossBoundary(() => carts.checkedOut(userId, orderId, lines)),
  };
}

export function httpCartApi(options: Omit<ServiceClientOptions, "dependency">): CartApi {
  const http = new ServiceClient({ ...options, dependency: "cart" });
  return {
    getCart: (userId) => http.request<Cart>("GET", `/internal/cart/${encodeURIComponent(userId)}`),
    checkedOut: (userId, orderId, lines) =>
      http.request<void>("POST", `/internal/cart/${encodeURIComponent(userId)}/checked-out`, { orderId, lines }),
  };
}
