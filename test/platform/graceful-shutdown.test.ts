import { expect, test } from "bun:test";
import { DEMO } from "../support/http-client";
import { startEntrypoint, tempDir } from "../support/processes";
import { CARDS, Shop } from "../support/shop";
import { SseRecorder } from "../support/sse";

test("SIGTERM: requests already in flight get their answers, the live stream is closed, the process exits 0 and the data is intact", async () => {
  const dataDir = tempDir();
  const server = await startEntrypoint("all.ts", { SEED_CATALOG: "false" }, { dataDir });
  const shop = await Shop.connect(server.url);
  const productId = await shop.product(100);
  const customers = await Promise.all(Array.from({ length: 10 }, () => shop.anon.newCustomer("term")));
  for (const c of customers) await shop.addToCart(c, productId, 1);
  const token = (await shop.anon.post("/api/auth/token", { username: "ops", password: DEMO.ops })).body.token;
  const live = new SseRecorder(`${server.url}/api/orders/stream?access_token=${token}`);
  await live.connected;

  const inFlight = customers.map((c) => shop.checkout(c, CARDS.ok).then((r) => r.status, (e: Error) => e.message));
  await Bun.sleep(5);
  server.proc.kill("SIGTERM");
  const exitCode = await Promise.race([server.proc.exited, Bun.sleep(15_000).then(() => "still running")]);
  expect(exitCode).toBe(0);
  const statuses = await Promise.all(inFlight);
  // A request either completed (201) or never started: the server refuses new work while it drains,
  // and an idle keep-alive connection is closed under a client that had not been answered yet.
  expect(statuses.every((s) => s === 201 || (typeof s === "string" && /connect|refused|closed|reset/i.test(s)))).toBe(true);
  live.close();

  const again = await startEntrypoint("all.ts", { SEED_CATALOG: "false" }, { dataDir });
  const shop2 = await Shop.connect(again.url);
  // Exactly the answered checkouts exist: none was processed without its answer, none answered and lost.
  const orders = await shop2.allOrders();
  expect(orders.length).toBe(statuses.filter((s) => s === 201).length);
  expect(orders.every((o) => o.status === "PAID")).toBe(true);
  expect(await shop2.stock(productId)).toBe(100 - orders.length);
  await again.stop();
});
