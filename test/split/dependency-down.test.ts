import { afterAll, beforeAll, expect, test } from "bun:test";
import { DEMO } from "../support/http-client";
import { CARDS, Shop } from "../support/shop";
import { SplitShop } from "../support/split-shop";

let split: SplitShop;
beforeAll(async () => {
  split = await new SplitShop({ SEED_CATALOG: "false" }).start();
}, 60_000);
afterAll(async () => {
  await split?.stop();
}, 30_000);

test("with the catalog down, cart and order answer 503 naming it; once it is back, the flow works without restarting anything", async () => {
  const shop = await Shop.connect(split.url);
  const alice = await shop.anon.login("alice", DEMO.alice);
  const productId = await shop.product(5);
  await shop.addToCart(alice, productId, 1);

  await split.stopOne("catalog");

  const cart = await alice.get("/api/cart");
  expect(cart.status).toBe(503);
  expect(cart.body.error).toMatchObject({ code: "DEPENDENCY_UNAVAILABLE", details: { dependency: "catalog" } });
  expect(cart.body.error.message).toStartWith("catalog is unavailable");

  const add = await alice.post("/api/cart/items", { productId, quantity: 1 });
  expect(add.status).toBe(503);
  expect(add.body.error.details.dependency).toBe("catalog");

  const key = crypto.randomUUID();
  const order = await shop.checkout(alice, CARDS.ok, key);
  expect(order.status).toBe(503);
  expect(order.body.error.details.dependency).toBe("catalog");

  // The gateway itself names the service it cannot reach.
  const direct = await shop.anon.get(`/api/products/${productId}`);
  expect(direct.status).toBe(503);
  expect(direct.body.error.details.dependency).toBe("catalog");

  await split.startOne("catalog");

  expect((await alice.get("/api/cart")).body.items).toHaveLength(1);
  const retried = await shop.checkout(alice, CARDS.ok, key);
  expect(retried.status).toBe(201);
  expect(retried.body.status).toBe("PAID");
  expect(await shop.stock(productId)).toBe(4);
}, 60_000);
