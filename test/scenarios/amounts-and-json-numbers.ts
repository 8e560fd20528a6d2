import { expect } from "bun:test";
import type { Api } from "../support/http-client";
import { CARDS, Shop } from "../support/shop";

// Charge amounts bounded as card processors bound them, and integers in JSON bodies that are JSON
// numbers. Run unchanged against both modes.

const checkout = (customer: Api, body: Record<string, unknown> = {}) =>
  customer.post("/api/orders", { cardNumber: CARDS.ok, ...body }, { "idempotency-key": crypto.randomUUID() });

export async function chargeAmountsAreBounded(baseUrl: string) {
  const shop = await Shop.connect(baseUrl);
  const cases: Array<[string, number, number]> = [
    ["a 10-cent cart", 10, 1],
    ["a 300-million cart", 100_000_000, 3],
    ["a 100-million cart, one unit over the most a processor takes", 100_000_000, 1],
  ];
  for (const [label, priceCents, quantity] of cases) {
    const customer = await shop.anon.newCustomer("amount");
    const productId = await shop.product(10, priceCents, label);
    await shop.addToCart(customer, productId, quantity);
    const refused = await checkout(customer);
    // The total is the cart's state, not the request's input: 409, like CURRENCY_MISMATCH and PRICE_CHANGED.
    expect([label, refused.status]).toEqual([label, 409]);
    expect(refused.body.error).toMatchObject({
      code: "AMOUNT_OUT_OF_BOUNDS",
      details: { amountCents: priceCents * quantity, currency: "EUR", minCents: 50, maxCents: 99_999_999 },
    });
    expect(refused.body.error.message).toContain(String(priceCents * quantity));
    // Nothing created, reserved or charged; the cart is kept.
    expect((await customer.get("/api/orders")).body.items).toEqual([]);
    expect((await customer.get("/api/payments")).body).toEqual([]);
    expect(await shop.stock(productId)).toBe(10);
    expect((await customer.get("/api/cart")).body.items).toHaveLength(1);
  }

  // The bounds themselves are chargeable.
  for (const [priceCents, quantity] of [[10, 5], [99_999_999, 1]]) {
    const customer = await shop.anon.newCustomer("amount");
    await shop.addToCart(customer, await shop.product(10, priceCents!), quantity!);
    const paid = await checkout(customer);
    expect(paid.status).toBe(201);
    expect(paid.body.totalCents).toBe(priceCents! * quantity!);
  }
}

export async function jsonIntegersAreNumbers(baseUrl: string) {
  const shop = await Shop.connect(baseUrl);
  const customer = await shop.anon.newCustomer("numbers");
  const productId = await shop.product(10, 1000);
  await shop.addToCart(customer, productId, 1);
  const cartBefore = (await customer.get("/api/cart")).body;
  const productBefore = (await shop.anon.get(`/api/products/${productId}`)).body;

  const refusals: Array<[string, Promise<{ status: number; body: any }>, string]> = [
    ["cart add", customer.post("/api/cart/items", { productId, quantity: "5" }), "quantity"],
    ["cart set", customer.patch(`/api/cart/items/${productId}`, { quantity: "2" }), "quantity"],
    ["product create", shop.ops.post("/api/products", { name: "Text price", category: "test", priceCents: "1000", currency: "EUR", stock: 1 }), "priceCents"],
    ["product create", shop.ops.post("/api/products", { name: "Text stock", category: "test", priceCents: 1000, currency: "EUR", stock: "1" }), "stock"],
    ["product change", shop.ops.patch(`/api/products/${productId}`, { priceCents: "1" }), "priceCents"],
    ["checkout", checkout(customer, { expectedTotalCents: "1000" }), "expectedTotalCents"],
  ];
  for (const [label, call, field] of refusals) {
    const res = await call;
    expect([label, res.status]).toEqual([label, 422]);
    expect(res.body.error.code).toBe("VALIDATION_FAILED");
    expect(res.body.error.message).toContain(field);
  }
  expect((await customer.get("/api/cart")).body).toEqual(cartBefore);
  expect((await shop.anon.get(`/api/products/${productId}`)).body).toEqual(productBefore);
  expect((await customer.get("/api/orders")).body.items).toEqual([]);
  expect((await shop.ops.get("/api/products?q=Text&limit=5")).body.items).toEqual([]);

  // Query parameters are text and still convert.
  expect((await shop.anon.get("/api/products?limit=1")).body.items).toHaveLength(1);
}
