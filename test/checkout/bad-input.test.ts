import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Api } from "../support/http-client";
import { startEntrypoint, type ServerProcess } from "../support/processes";
import { CARDS, Shop } from "../support/shop";
import { engines } from "../support/engines";

for (const engine of engines()) {
  describe(`on ${engine.name}`, () => {
    let server: ServerProcess;
    let shop: Shop;
    let customer: Api;
    let productId: string;

    beforeAll(async () => {
      server = await startEntrypoint("all.ts", { ...(await engine.env("bad_input")), SEED_CATALOG: "false" });
      shop = await Shop.connect(server.url);
      customer = await shop.anon.newCustomer("bad");
      productId = await shop.product(10);
      await shop.addToCart(customer, productId, 1);
    }, engine.setupTimeoutMs + 60_000);
    afterAll(async () => {
      await server?.stop();
    });

    /** Everything a bad request could have touched, to prove it changed nothing. */
    const snapshot = async () => ({
      cart: (await customer.get("/api/cart")).body,
      orders: (await customer.get("/api/orders")).body.items.length,
      stock: await shop.stock(productId),
    });

    describe("bad cart input gets a 4xx naming the problem and changes nothing", () => {
      const cases: Array<[string, string, string, unknown, number, string]> = [
        ["quantity as text", "POST", "/api/cart/items", () => ({ productId, quantity: "two" }), 422, "quantity"],
        ["negative quantity", "POST", "/api/cart/items", () => ({ productId, quantity: -1 }), 422, "quantity"],
        ["zero quantity", "POST", "/api/cart/items", () => ({ productId, quantity: 0 }), 422, "quantity"],
        ["fractional quantity", "POST", "/api/cart/items", () => ({ productId, quantity: 1.5 }), 422, "quantity"],
        ["huge quantity", "POST", "/api/cart/items", () => ({ productId, quantity: 1_000_000 }), 422, "quantity"],
        ["missing productId", "POST", "/api/cart/items", () => ({ quantity: 1 }), 422, "productId"],
        ["unknown product", "POST", "/api/cart/items", () => ({ productId: "no-such-product", quantity: 1 }), 404, "no-such-product"],
        ["more than the stock", "POST", "/api/cart/items", () => ({ productId, quantity: 10 }), 409, "available"],
        ["unknown field", "POST", "/api/cart/items", () => ({ productId, quantity: 1, price: 0 }), 422, "price"],
        ["set a huge quantity", "PATCH", "/api/cart/items/{p}", () => ({ quantity: 101 }), 422, "quantity"],
        ["set a line not in the cart", "PATCH", "/api/cart/items/other", () => ({ quantity: 1 }), 404, "other"],
        ["malformed JSON", "POST", "/api/cart/items", () => '{"productId": ', 400, "JSON"],
      ];
      for (const [label, method, path, body, status, mention] of cases) {
        test(label, async () => {
          const before = await snapshot();
          const res = await customer.call(method, path.replace("{p}", productId), (body as () => unknown)());
          expect(res.status).toBe(status);
          expect(JSON.stringify(res.body.error)).toContain(mention);
          expect(await snapshot()).toEqual(before);
        });
      }
    });

    describe("bad checkout input gets a 4xx and changes nothing", () => {
      const cards: Array<[string, unknown, string]> = [
        ["too short", "4242", "13 to 19 digits"],
        ["letters", "4242abcd42424242", "13 to 19 digits"],
        ["fails Luhn", "4242424242424241", "Luhn"],
        ["too long", "4".repeat(40), "cardNumber"],
        ["a number, not a string", 4242424242424242, "cardNumber"],
        ["empty", "", "cardNumber"],
      ];
      for (const [label, cardNumber, mention] of cards) {
        test(`card number ${label}`, async () => {
          const before = await snapshot();
          const res = await customer.post("/api/orders", { cardNumber }, { "idempotency-key": crypto.randomUUID() });
          expect(res.status).toBe(422);
          expect(JSON.stringify(res.body.error)).toContain(mention);
          expect(await snapshot()).toEqual(before);
        });
      }

      test("malformed JSON, a bad key and unknown fields", async () => {
        const before = await snapshot();
        expect((await customer.post("/api/orders", "{", { "idempotency-key": "k" })).status).toBe(400);
        const badKey = await customer.post("/api/orders", { cardNumber: CARDS.ok }, { "idempotency-key": "spaces are bad" });
        expect({ status: badKey.status, message: badKey.body.error.message }).toEqual({
          status: 422,
          message: "Invalid headers: idempotency-key: must be 1 to 128 letters, digits, underscores, dots, colons or dashes",
        });
        const badCurrency = await customer.post("/api/orders", { cardNumber: CARDS.ok, expectedCurrency: "eur" }, { "idempotency-key": "k3" });
        expect(badCurrency.body.error.message).toBe("Invalid body: expectedCurrency: must be a three-letter ISO 4217 code in capitals, such as EUR");
        expect((await customer.post("/api/orders", { cardNumber: CARDS.ok, amount: 1 }, { "idempotency-key": "k2" })).status).toBe(422);
        expect((await customer.get("/api/orders?status=LOST")).status).toBe(422);
        const negativeLimit = await customer.get("/api/orders?limit=-1");
        expect(negativeLimit.status).toBe(422);
        expect(negativeLimit.body.error.details).toEqual({ in: "query", problems: [{ field: "limit", message: "must be an integer from 1 to 100" }] });
        expect((await customer.get("/api/orders/not-an-order")).status).toBe(404);
        expect((await shop.ops.patch("/api/orders/x/status", { status: "TELEPORTED" })).status).toBe(422);
        expect(await snapshot()).toEqual(before);
      });
    });
  });
}
