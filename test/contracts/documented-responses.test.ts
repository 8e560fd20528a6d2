// The hot routes document their responses instead of validating them per request (cheaper):
// this checks, over real HTTP against the all-in-one shop, that what they answer matches
// what the OpenAPI document promises, for every documented status a test can provoke.
import { Value } from "@sinclair/typebox/value";
import type { TSchema } from "elysia";
import { afterAll, beforeAll, expect, test } from "bun:test";
import { Cart } from "../../src/modules/cart";
import { Product, ProductPage } from "../../src/modules/catalog";
import { Order } from "../../src/modules/order";
import { OrderWithError } from "../../src/modules/order/request-schemas";
import { ErrorBodySchema } from "../../src/platform/errors";
import { DEMO } from "../support/http-client";
import { startEntrypoint, type ServerProcess } from "../support/processes";
import { CARDS, Shop } from "../support/shop";

let server: ServerProcess;
let shop: Shop;
beforeAll(async () => {
  server = await startEntrypoint("all.ts", { SEED_CATALOG: "false" });
  shop = await Shop.connect(server.url);
});
afterAll(async () => {
  await server?.stop();
});

function conforms(schema: TSchema, body: unknown) {
  const problems = [...Value.Errors(schema, body)].map((e) => `${e.path}: ${e.message}`);
  expect(problems).toEqual([]);
}

test("GET /api/products/:id and a search page match Product and ProductPage", async () => {
  const id = await shop.product(3);
  conforms(Product, (await shop.anon.get(`/api/products/${id}`)).body);
  conforms(ProductPage, (await shop.anon.get("/api/products?limit=5")).body);
});

test("POST /api/cart/items (201) matches Cart", async () => {
  const bob = await shop.anon.login("bob", DEMO.bob);
  conforms(Cart, await shop.addToCart(bob, await shop.product(3), 2));
});

test("POST /api/orders matches Order when paid (201) and OrderWithError when refused (402, 409)", async () => {
  const alice = await shop.anon.login("alice", DEMO.alice);

  await shop.addToCart(alice, await shop.product(5), 1);
  const paid = await shop.checkout(alice, CARDS.ok);
  expect(paid.status).toBe(201);
  conforms(Order, paid.body);

  await shop.addToCart(alice, await shop.product(5), 1);
  const declined = await shop.checkout(alice, CARDS.declined);
  expect(declined.status).toBe(402);
  conforms(OrderWithError, declined.body);

  // The last unit goes to someone else between the add and the checkout: cancelled for stock.
  const scarce = await shop.product(1);
  await shop.addToCart(alice, scarce, 1);
  const bob = await shop.anon.login("bob", DEMO.bob);
  await shop.addToCart(bob, scarce, 1);
  expect((await shop.checkout(bob, CARDS.ok)).status).toBe(201);
  const outOfStock = await shop.checkout(alice, CARDS.ok);
  expect(outOfStock.status).toBe(409);
  conforms(OrderWithError, outOfStock.body);
});

test("POST /api/orders refusals before any order exists (409 PRICE_CHANGED, CURRENCY_MISMATCH, a lost race for the cart, AMOUNT_OUT_OF_BOUNDS) match the error shape", async () => {
  const customer = await shop.anon.newCustomer("documented");
  const productId = await shop.product(5, 1000);
  await shop.addToCart(customer, productId, 1);
  const refusal = async (body: Record<string, unknown>, status: number, code: string) => {
    const res = await customer.post("/api/orders", { cardNumber: CARDS.ok, ...body }, { "idempotency-key": crypto.randomUUID() });
    expect([res.status, res.body.error?.code]).toEqual([status, code]);
    conforms(ErrorBodySchema, res.body);
  };
  await refusal({ expectedTotalCents: 999 }, 409, "PRICE_CHANGED");

  const cheap = await shop.product(5, 10);
  const other = await shop.anon.newCustomer("documented");
  await shop.addToCart(other, cheap, 1);
  const res = await other.post("/api/orders", { cardNumber: CARDS.ok }, { "idempotency-key": crypto.randomUUID() });
  expect([res.status, res.body.error?.code]).toEqual([409, "AMOUNT_OUT_OF_BOUNDS"]);
  conforms(ErrorBodySchema, res.body);

  await shop.addToCart(other, productId, 1);
  await shop.ops.patch(`/api/products/${cheap}`, { currency: "JPY" });
  const mixed = await other.post("/api/orders", { cardNumber: CARDS.ok }, { "idempotency-key": crypto.randomUUID() });
  expect([mixed.status, mixed.body.error?.code]).toEqual([409, "CURRENCY_MISMATCH"]);
  conforms(ErrorBodySchema, mixed.body);

  // Checkouts of one cart racing: the losers' 409s (CHECKOUT_IN_PROGRESS, CART_ALREADY_ORDERED or EMPTY_CART).
  const racer = await shop.anon.newCustomer("documented");
  await shop.addToCart(racer, productId, 1);
  const answers = await Promise.all([1, 2, 3].map(() => shop.checkout(racer, CARDS.ok)));
  for (const a of answers.filter((a) => a.status === 409)) conforms(ErrorBodySchema, a.body);
  expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
});
