import { Elysia } from "elysia";
import { requireRole } from "../../platform/auth/guard";
import type { TokenService } from "../../platform/auth/tokens";
import { crashPoint } from "../../platform/crash-points";
import { routeDoc, type RouteDoc } from "../../platform/http/route-docs";
import type { CartService } from "./cart-service";
import { Cart } from "./contract";
import { AddItem, CheckedOutBody, ProductParam, SetQuantity, UserParam } from "./request-schemas";

const detail = (doc: Omit<RouteDoc, "tags" | "caller">) => routeDoc({ tags: ["cart"], caller: "customer", ...doc });
const NO_LINE = "NOT_FOUND: this product is not in the cart (or no longer in the catalog)";

/** Always the caller's own cart: the user comes from the token, never from the URL. */
export function cartRoutes(carts: CartService, tokens: TokenService) {
  const own = new Elysia({ prefix: "/api/cart" })
    .use(requireRole(tokens, "customer"))
    .get("/", async ({ principal }) => carts.get(principal.userId), { response: Cart, detail: detail({ summary: "My cart, priced now", ok: { 200: Cart } }) })
    .post(
      "/items",
      async ({ principal, body, set }) => {
        const cart = await carts.add(principal.userId, body.productId, body.quantity);
        set.status = 201;
        return cart;
      },
      {
        body: AddItem,
        detail: detail({
          summary: "Add a product (merges with its line)",
          ok: { 201: Cart },
          refuses: {
            404: "NOT_FOUND: no such product",
            409: "CURRENCY_MISMATCH (one currency per cart), CART_FULL, INSUFFICIENT_STOCK, QUANTITY_TOO_LARGE (with what the line already holds, over the most of one product per line)",
          },
        }),
      },
    )
    .patch("/items/:productId", async ({ principal, params, body }) => carts.set(principal.userId, params.productId, body.quantity), {
      params: ProductParam,
      body: SetQuantity,
      response: Cart,
      detail: detail({ summary: "Set a line's quantity", ok: { 200: Cart }, refuses: { 404: NO_LINE, 409: "INSUFFICIENT_STOCK" } }),
    })
    .delete("/items/:productId", async ({ principal, params }) => carts.remove(principal.userId, params.productId), {
      params: ProductParam,
      response: Cart,
      detail: detail({ summary: "Remove a line", ok: { 200: Cart }, refuses: { 404: "NOT_FOUND: this product is not in the cart" } }),
    })
    .delete(
      "/",
      async ({ principal, set }) => {
        await carts.clear(principal.userId);
        set.status = 204;
      },
      { detail: detail({ summary: "Empty my cart", ok: { 204: null } }) },
    );

  const internal = new Elysia({ prefix: "/internal/cart", detail: { hide: true } })
    .use(requireRole(tokens, "service"))
    .get("/:userId", async ({ params }) => carts.get(params.userId), { params: UserParam })
    .post(
      "/:userId/checked-out",
      async ({ params, body, set }) => {
        // Crash tests: a cart service that dies on the checkout's own call, before a paid order's lines leave the cart.
        crashPoint("cart.checked-out-call");
        await carts.checkedOut(params.userId, body.orderId, body.lines);
        set.status = 204;
      },
      { params: UserParam, body: CheckedOutBody },
    );

  return new Elysia({ name: "cart.routes" }).use(own).use(internal);
}
