import { Elysia } from "elysia";
import { bearerSecurity, requireRole } from "../../platform/auth/guard";
import type { TokenService } from "../../platform/auth/tokens";
import { crashPoint } from "../../platform/crash-points";
import { documented } from "../../platform/http/documented";
import type { CartService } from "./cart-service";
import { AddItem, Cart, CheckedOutBody, ProductParam, SetQuantity, UserParam } from "./model";

const detail = (summary: string) => ({ tags: ["cart"], summary, security: bearerSecurity });

/** Always the caller's own cart: the user comes from the token, never from the URL. */
export function cartRoutes(carts: CartService, tokens: TokenService) {
  const own = new Elysia({ prefix: "/api/cart" })
    .use(requireRole(tokens, "customer"))
    .get("/", async ({ principal }) => carts.get(principal.userId), { response: Cart, detail: detail("My cart, priced now") })
    .post(
      "/items",
      async ({ principal, body, set }) => {
        const cart = await carts.add(principal.userId, body.productId, body.quantity);
        set.status = 201;
        return cart;
      },
      { body: AddItem, detail: { ...detail("Add a product (merges with its line)"), responses: documented({ 201: Cart }) } },
    )
    .patch("/items/:productId", async ({ principal, params, body }) => carts.set(principal.userId, params.productId, body.quantity), {
      params: ProductParam,
      body: SetQuantity,
      response: Cart,
      detail: detail("Set a line's quantity"),
    })
    .delete("/items/:productId", async ({ principal, params }) => carts.remove(principal.userId, params.productId), {
      params: ProductParam,
      response: Cart,
      detail: detail("Remove a line"),
    })
    .delete(
      "/",
      async ({ principal, set }) => {
        await carts.clear(principal.userId);
        set.status = 204;
      },
      { detail: detail("Empty my cart") },
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
