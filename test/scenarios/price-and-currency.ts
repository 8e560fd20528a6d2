import { expect } from "bun:test";
import type { Api } from "../support/http-client";
import { CARDS, Shop } from "../support/shop";

// A cart is priced live and holds one currency; a checkout may carry the total the customer saw.
// Run unchanged against both modes.

const checkout = (customer: Api, body: Record<string, unknown>) =>
  customer.post("/api/orders", { cardNumber: CARDS.ok, ...body }, { "idempotency-key": crypto.randomUUID() });

/** What a refused checkout must have left alone: no order, the stock, no payment for the customer. */
async function nothingOrdered(shop: Shop, customer: Api, productId: string, stock: number) {
  expect((await customer.get("/api/orders")).body.items).toEqual([]);
  expect((await customer.get("/api/payments")).body).toEqual([]);
  expect(await shop.stock(productId)).toBe(stock);
}

export async function expectedTotalsAgainstLivePrices(baseUrl: string) {
  const shop = await Shop.connect(baseUrl);
  const customer = await shop.anon.newCustomer("price");
  const productId = await shop.product(10, 1000);
  expect((await shop.addToCart(customer, productId, 2)).totalCents).toBe(2000);

  // The operator raises the price between the add and the checkout.
  expect((await shop.ops.patch(`/api/products/${productId}`, { priceCents: 1200 })).status).toBe(200);
  const changed = await checkout(customer, { expectedTotalCents: 2000 });
  expect(changed.status).toBe(409);
  expect(changed.body.error).toMatchObject({ code: "PRICE_CHANGED" });
  // What the customer expected and what it is now; never the card the request carried.
  expect(changed.body.error.details).toEqual({ totalCents: 2400, currency: "EUR", expectedTotalCents: 2000 });
  expect(changed.body.error.message).toContain("2400 EUR");
  await nothingOrdered(shop, customer, productId, 10);

  // The same total in another currency is not what the customer saw either.
  const otherCurrency = await checkout(customer, { expectedTotalCents: 2400, expectedCurrency: "USD" });
  expect(otherCurrency.status).toBe(409);
  expect(otherCurrency.body.error).toMatchObject({ code: "PRICE_CHANGED" });
  expect(otherCurrency.body.error.details).toEqual({ totalCents: 2400, currency: "EUR", expectedTotalCents: 2400, expectedCurrency: "USD" });
  await nothingOrdered(shop, customer, productId, 10);

  // Confirming the new total orders at it.
  const confirmed = await checkout(customer, { expectedTotalCents: 2400, expectedCurrency: "EUR" });
  expect(confirmed.status).toBe(201);
  expect(confirmed.body).toMatchObject({ status: "PAID", totalCents: 2400, currency: "EUR" });
  expect((await shop.payments(confirmed.body.id))[0]).toMatchObject({ amountCents: 2400, status: "CAPTURED" });

  // Without an expected total the cart's live price is charged.
  await shop.addToCart(customer, productId, 1);
  await shop.ops.patch(`/api/products/${productId}`, { priceCents: 1500 });
  const live = await checkout(customer, {});
  expect(live.status).toBe(201);
  expect(live.body.totalCents).toBe(1500);
}

export async function oneCurrencyPerCart(baseUrl: string) {
  const shop = await Shop.connect(baseUrl);
  const customer = await shop.anon.newCustomer("currency");
  const [mug, tea] = [await shop.product(10, 1000, "Mug"), await shop.product(10, 800, "Tea")];
  const yen = (await shop.ops.post("/api/products", { name: "Matcha", category: "test", priceCents: 1500, currency: "JPY", stock: 10 })).body.id;

  await shop.addToCart(customer, mug, 1);
  const refused = await customer.post("/api/cart/items", { productId: yen, quantity: 1 });
  expect(refused.status).toBe(409);
  expect(refused.body.error).toMatchObject({ code: "CURRENCY_MISMATCH", details: { cartCurrency: "EUR", productCurrency: "JPY" } });

  // An operator moves a product already in the cart to another currency: the cart never sums the two.
  await shop.addToCart(customer, tea, 2);
  expect((await shop.ops.patch(`/api/products/${tea}`, { currency: "JPY" })).status).toBe(200);
  const mixed = (await customer.get("/api/cart")).body;
  expect(mixed).toMatchObject({ totalCents: null, currency: "EUR" });
  expect(mixed.items.map((l: any) => [l.productId, l.currency])).toEqual([
    [mug, "EUR"],
    [tea, "JPY"],
  ]);

  const checkedOut = await checkout(customer, {});
  expect(checkedOut.status).toBe(409);
  expect(checkedOut.body.error).toMatchObject({ code: "CURRENCY_MISMATCH", details: { currencies: ["EUR", "JPY"], productIds: [tea] } });
  await nothingOrdered(shop, customer, tea, 10);
  expect(await shop.stock(mug)).toBe(10);
  // Nothing more goes into a mixed cart either.
  expect((await customer.post("/api/cart/items", { productId: mug, quantity: 1 })).body.error?.code).toBe("CURRENCY_MISMATCH");

  // Removing the odd line makes it one currency again.
  expect((await customer.delete(`/api/cart/items/${tea}`)).body).toMatchObject({ totalCents: 1000, currency: "EUR" });
  const paid = await checkout(customer, { expectedTotalCents: 1000 });
  expect(paid.status).toBe(201);
  expect(paid.body).toMatchObject({ totalCents: 1000, currency: "EUR" });
}
