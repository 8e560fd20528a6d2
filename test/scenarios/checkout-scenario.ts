import { expect } from "bun:test";
import { DEMO } from "../support/http-client";
import { CARDS, Shop } from "../support/shop";

/**
 * The whole shopping flow over HTTP, used unchanged against the all-in-one process and against
 * the split services behind the gateway: login, browse, cart, checkout with each test card,
 * history, cancel with refund, operator status moves, stats.
 */
export async function runCheckoutScenario(baseUrl: string, opts: { eventually?: (check: () => Promise<void>) => Promise<void> } = {}) {
  const eventually = opts.eventually ?? (async (check) => check());
  const shop = await Shop.connect(baseUrl);
  const anon = shop.anon;
  const alice = await anon.login("alice", DEMO.alice);
  const statsBefore = (await shop.ops.get("/api/orders/stats")).body;

  // Browse: the seeded catalog is searchable and pages.
  const page = await anon.get("/api/products?limit=5");
  expect(page.status).toBe(200);
  expect(page.body.items.length).toBeGreaterThan(0);

  const mug = await shop.product(20, 1250, "Scenario Mug");
  const tea = await shop.product(20, 800, "Scenario Tea");

  // Cart: add (merging), change, remove, priced from the catalog.
  await shop.addToCart(alice, mug, 1);
  await shop.addToCart(alice, mug, 1);
  await shop.addToCart(alice, tea, 3);
  let cart = (await alice.get("/api/cart")).body;
  expect(cart.items.find((l: any) => l.productId === mug).quantity).toBe(2);
  expect((await alice.patch(`/api/cart/items/${tea}`, { quantity: 1 })).body.totalCents).toBe(2 * 1250 + 800);
  const over = await alice.post("/api/cart/items", { productId: tea, quantity: 50 });
  expect(over.status).toBe(409);
  expect(over.body.error.details.available).toBe(20);

  // Declined card: PAYMENT_FAILED, stock back, the cart kept for another try.
  const declined = await shop.checkout(alice, CARDS.declined);
  expect(declined.status).toBe(402);
  expect(declined.body).toMatchObject({ status: "PAYMENT_FAILED", failureReason: "Payment declined by the card issuer" });
  expect(await shop.stock(mug)).toBe(20);
  const [declinedPayment] = await shop.payments(declined.body.id);
  expect(declinedPayment).toMatchObject({ status: "DECLINED", cardLast4: "0002" });

  // Insufficient funds: the same, with its own reason.
  const poor = await shop.checkout(alice, CARDS.insufficient);
  expect(poor.status).toBe(402);
  expect(poor.body.failureReason).toBe("Payment failed: insufficient funds");
  expect((await alice.get("/api/cart")).body.items).toHaveLength(2);

  // A good card: PAID, stock taken, payment captured, cart emptied.
  const paid = await shop.checkout(alice, CARDS.ok);
  expect(paid.status).toBe(201);
  expect(paid.body).toMatchObject({ status: "PAID", totalCents: 2 * 1250 + 800, currency: "EUR", username: "alice" });
  expect(paid.body.items.map((l: any) => [l.name, l.quantity, l.unitPriceCents])).toEqual([
    ["Scenario Mug", 2, 1250],
    ["Scenario Tea", 1, 800],
  ]);
  expect(await shop.stock(mug)).toBe(18);
  expect(await shop.stock(tea)).toBe(19);
  const [payment] = await shop.payments(paid.body.id);
  expect(payment).toMatchObject({ id: paid.body.paymentId, status: "CAPTURED", amountCents: 3300, cardLast4: "4242" });
  expect(JSON.stringify(payment)).not.toContain("4242424242424242");
  await eventually(async () => expect((await alice.get("/api/cart")).body.items).toEqual([]));

  // A price change later does not touch the placed order's snapshot.
  await shop.ops.patch(`/api/products/${mug}`, { priceCents: 9999 });
  expect((await alice.get(`/api/orders/${paid.body.id}`)).body.items[0].unitPriceCents).toBe(1250);

  // History: newest first, with every status and its time.
  const history = (await alice.get("/api/orders?limit=3")).body.items;
  expect(history.map((o: any) => o.id)).toEqual([paid.body.id, poor.body.id, declined.body.id]);
  expect(history[0].history.map((h: any) => h.status)).toEqual(["PENDING", "PAID"]);

  // Cancel a paid order: refunded, stock released.
  await shop.addToCart(alice, tea, 2);
  const second = await shop.checkout(alice);
  expect(second.body.status).toBe("PAID");
  expect(await shop.stock(tea)).toBe(17);
  const cancelled = await alice.post(`/api/orders/${second.body.id}/cancel`);
  expect(cancelled.status).toBe(200);
  expect(cancelled.body.status).toBe("CANCELLED");
  expect(await shop.stock(tea)).toBe(19);
  expect((await shop.payments(second.body.id))[0].status).toBe("REFUNDED");
  expect((await alice.post(`/api/orders/${second.body.id}/cancel`)).status).toBe(409);

  // Operator moves along the state machine; illegal moves are 409.
  const id = paid.body.id;
  expect((await alice.patch(`/api/orders/${id}/status`, { status: "SHIPPED" })).status).toBe(403);
  expect((await shop.ops.patch(`/api/orders/${id}/status`, { status: "DELIVERED" })).status).toBe(409);
  expect((await shop.ops.patch(`/api/orders/${id}/status`, { status: "SHIPPED" })).body.status).toBe("SHIPPED");
  expect((await shop.ops.patch(`/api/orders/${id}/status`, { status: "PAID" })).status).toBe(409);
  expect((await alice.post(`/api/orders/${id}/cancel`)).status).toBe(409);
  const delivered = await shop.ops.patch(`/api/orders/${id}/status`, { status: "DELIVERED" });
  expect(delivered.body.history.map((h: any) => h.status)).toEqual(["PENDING", "PAID", "SHIPPED", "DELIVERED"]);
  expect((await shop.ops.patch(`/api/orders/${id}/status`, { status: "SHIPPED" })).status).toBe(409);

  // Stats moved by exactly what happened here.
  const stats = (await shop.ops.get("/api/orders/stats")).body;
  expect(stats.countsByStatus.DELIVERED - statsBefore.countsByStatus.DELIVERED).toBe(1);
  expect(stats.countsByStatus.PAYMENT_FAILED - statsBefore.countsByStatus.PAYMENT_FAILED).toBe(2);
  expect(stats.countsByStatus.CANCELLED - statsBefore.countsByStatus.CANCELLED).toBe(1);
  const eur = (s: typeof stats) => s.revenueByCurrency.find((r: { currency: string }) => r.currency === "EUR")?.revenueCents ?? 0;
  expect(eur(stats) - eur(statsBefore)).toBe(3300);
  expect(stats.ordersLastHour - statsBefore.ordersLastHour).toBe(4);
  expect((await alice.get("/api/orders/stats")).status).toBe(403);

  return { paidOrderId: paid.body.id, stats };
}
