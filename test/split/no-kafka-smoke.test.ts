import { afterAll, beforeAll, expect, test } from "bun:test";
import { DEMO } from "../support/http-client";
import { CARDS, Shop } from "../support/shop";
import { SplitShop } from "../support/split-shop";
import { join } from "node:path";
import { mkdirSync, writeFileSync } from "node:fs";
import { tempDir } from "../support/processes";

// A stand-in build of the dashboard: the gateway must serve whatever WEB_DIST holds.
const webDist = tempDir("shop-web-");
mkdirSync(join(webDist, "assets"));
writeFileSync(join(webDist, "index.html"), "<!doctype html><title>Orders</title><div id=root></div>");
writeFileSync(join(webDist, "assets", "app.js"), "console.log('dashboard')");

// Split mode without KAFKA_BROKERS: the services answer, checkout works over HTTP between them,
// and events wait in the outbox (said once at start).
let split: SplitShop;
beforeAll(async () => {
  split = await new SplitShop({ SEED_CATALOG: "false", WEB_DIST: webDist }).start();
}, 60_000);
afterAll(async () => {
  await split?.stop();
}, 30_000);

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

test("the gateway is the one origin: dashboard files, client-side routes, and API 404s in the error shape", async () => {
  const index = await fetch(`${split.url}/`);
  expect(index.headers.get("content-type")).toContain("text/html");
  expect(await index.text()).toContain("<title>Orders</title>");
  expect(await (await fetch(`${split.url}/assets/app.js`)).text()).toContain("dashboard");
  expect(await (await fetch(`${split.url}/orders/some-client-route`)).text()).toContain("<title>Orders</title>");
  const missing = await fetch(`${split.url}/api/unknown`);
  expect(missing.status).toBe(404);
  expect((await missing.json()).error.code).toBe("ROUTE_NOT_FOUND");
  expect((await fetch(`${split.url}/../../etc/passwd`)).status).not.toBe(500);
});
