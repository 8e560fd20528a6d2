import { afterAll, beforeAll, expect, test } from "bun:test";
import { DEMO } from "../support/http-client";
import { CARDS, Shop } from "../support/shop";
import { SplitShop } from "../support/split-shop";

// Split mode without KAFKA_BROKERS: the services answer, checkout works over HTTP between them,
// and events wait in the outbox (said once at start).
let split: SplitShop;
beforeAll(async () => {
  split = await new SplitShop({ SEED_CATALOG: "false" }).start();
});
afterAll(async () => {
  await split?.stop();
});

test("checkout works across the services; events wait in the outbox without a broker", async () => {
  const shop = await Shop.connect(split.url);
  const alice = await shop.anon.login("alice", DEMO.alice);
  const productId = await shop.product(3);
  await shop.addToCart(alice, productId, 1);
  const res = await shop.checkout(alice, CARDS.ok);
  expect(res.status).toBe(201);
  expect(res.body.status).toBe("PAID");
  expect(await shop.stock(productId)).toBe(2);
  expect(split.output("order")).toContain("KAFKA_BROKERS is not set");
  expect(split.output("order").match(/KAFKA_BROKERS is not set/g)).toHaveLength(1);
});
