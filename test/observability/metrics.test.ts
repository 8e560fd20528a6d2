import { afterAll, beforeAll, expect, test } from "bun:test";
import { DEMO } from "../support/http-client";
import { startEntrypoint, type ServerProcess } from "../support/processes";
import { CARDS, Shop } from "../support/shop";

let server: ServerProcess;
beforeAll(async () => {
  server = await startEntrypoint("all.ts", { SEED_CATALOG: "false" });
});
afterAll(async () => {
  await server?.stop();
});

/** Parses the Prometheus text format into `name{labels}` -> value. */
async function scrape(url: string): Promise<Map<string, number>> {
  const res = await fetch(`${url}/metrics`);
  expect(res.headers.get("content-type")).toContain("text/plain");
  const samples = new Map<string, number>();
  for (const line of (await res.text()).split("\n")) {
    if (!line || line.startsWith("#")) continue;
    const at = line.lastIndexOf(" ");
    samples.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return samples;
}

const value = (samples: Map<string, number>, name: string, labels: Record<string, string> = {}) => {
  for (const [key, v] of samples) {
    if (!key.startsWith(name)) continue;
    const rest = key.slice(name.length);
    if (rest && !rest.startsWith("{")) continue;
    if (Object.entries(labels).every(([k, val]) => rest.includes(`${k}="${val}"`))) return v;
  }
  return 0;
};

test("a checkout moves the request, latency, checkout and outbox metrics", async () => {
  const before = await scrape(server.url);
  const shop = await Shop.connect(server.url);
  const alice = await shop.anon.login("alice", DEMO.alice);
  const productId = await shop.product(5);
  await shop.addToCart(alice, productId, 1);
  expect((await shop.checkout(alice, CARDS.ok)).status).toBe(201);
  expect(await shop.stock(productId)).toBe(4);
  await shop.addToCart(alice, await shop.product(5), 1);
  expect((await shop.checkout(alice, CARDS.declined)).status).toBe(402);
  const orders = { method: "POST", route: "/api/orders/" };
  // A request is counted once its response has gone out (onAfterResponse): scrape until the last one shows, for at most 2 s.
  let after = await scrape(server.url);
  for (let i = 0; i < 40 && value(after, "http_requests_total", { ...orders, status: "402" }) === value(before, "http_requests_total", { ...orders, status: "402" }); i++) {
    await Bun.sleep(50);
    after = await scrape(server.url);
  }

  expect(value(after, "http_requests_total", { ...orders, status: "201" }) - value(before, "http_requests_total", { ...orders, status: "201" })).toBe(1);
  expect(value(after, "http_requests_total", { ...orders, status: "402" }) - value(before, "http_requests_total", { ...orders, status: "402" })).toBe(1);
  expect(value(after, "http_request_duration_seconds_count", orders) - value(before, "http_request_duration_seconds_count", orders)).toBe(2);
  expect(value(after, "shop_checkouts_total", { outcome: "paid" }) - value(before, "shop_checkouts_total", { outcome: "paid" })).toBe(1);
  expect(value(after, "shop_checkouts_total", { outcome: "payment_failed" }) - value(before, "shop_checkouts_total", { outcome: "payment_failed" })).toBe(1);
  // Route patterns, not raw paths, label the series.
  expect([...after.keys()].some((k) => k.includes('route="/api/products/:id"'))).toBe(true);

  for (const name of ["shop_outbox_backlog", "shop_outbox_lag_seconds"]) {
    expect(after.has(`${name}{module="order"}`)).toBe(true);
  }
  expect(after.has("shop_kafka_publish_errors_total")).toBe(true);
  expect(after.has("process_resident_memory_bytes")).toBe(true);
});
