import { afterAll, beforeAll, expect, test } from "bun:test";
import { simulate } from "../../scripts/simulate";
import { Api, DEMO } from "../support/http-client";
import { startEntrypoint, type ServerProcess } from "../support/processes";

// `simulate --orders N --seconds S` paces its orders over the S seconds asked (it used to place all
// 50 of `--orders 50 --seconds 60` in 13 s and stop): against a real shop, the orders' creation
// times span most of the run, and every order is placed.
let shop: ServerProcess;
beforeAll(async () => {
  shop = await startEntrypoint("all.ts");
}, 60_000);
afterAll(async () => {
  await shop?.stop();
}, 60_000);

test("6 orders over 6 seconds: all placed, spread over the run, done by its end", async () => {
  const started = Date.now();
  const summary = await simulate({ baseUrl: shop.url, orders: 6, seconds: 6, concurrency: 3, customers: "new", cancelRate: 0, seed: 7 });
  const elapsed = Date.now() - started;

  expect(summary.errors).toBe(0);
  expect(summary.attempted).toBe(6);
  expect(elapsed).toBeGreaterThan(4_000);
  expect(elapsed).toBeLessThan(10_000);

  const ops = await new Api(shop.url).login("ops", DEMO.ops);
  const orders = (await ops.get("/api/orders?limit=100")).body.items as Array<{ createdAt: string }>;
  expect(orders).toHaveLength(6);
  // Paced over what is left after signing the customers up (up to ~2 s on a loaded machine): 5 intervals
  // of at least 0.67 s, less up to 0.8 of one for jitter. All at once, they spanned well under a second.
  const times = orders.map((o) => Date.parse(o.createdAt)).sort((a, b) => a - b);
  expect(times.at(-1)! - times[0]!).toBeGreaterThan(2_500);
}, 60_000);
