import { expect } from "bun:test";
import type { Api } from "../support/http-client";
import { CARDS, Shop } from "../support/shop";

/** The 409 codes a checkout that lost the race for a cart may get: no second order, no charge. */
export const LOST_CART_RACE = ["CHECKOUT_IN_PROGRESS", "CART_ALREADY_ORDERED", "EMPTY_CART"];

/**
 * Two tabs, a double click, a script: `concurrent` checkouts of one cart with different
 * Idempotency-Keys, `rounds` times (a new customer and product each round). Exactly one is paid,
 * with one payment and the stock taken once; every other one is a 409 that names the order holding
 * the cart (or finds the cart already emptied by it). Run unchanged against both modes.
 */
export async function concurrentCheckoutsOfOneCart(baseUrl: string, opts: { rounds: number; concurrent: number }) {
  const shop = await Shop.connect(baseUrl);
  for (let round = 0; round < opts.rounds; round++) {
    const customer = await shop.anon.newCustomer("twice");
    const productId = await shop.product(50, 700);
    await shop.addToCart(customer, productId, 2);

    const answers = await Promise.all(Array.from({ length: opts.concurrent }, () => shop.checkout(customer, CARDS.ok)));
    const paid = answers.filter((a) => a.status === 201);
    const refused = answers.filter((a) => a.status !== 201);
    expect(paid.length).toBe(1);
    expect(paid[0]!.body.status).toBe("PAID");
    const orderId = paid[0]!.body.id;
    for (const answer of refused) {
      expect(answer.status).toBe(409);
      expect(LOST_CART_RACE).toContain(answer.body.error.code);
      if (answer.body.error.code !== "EMPTY_CART") expect(answer.body.error.details.orderId).toBe(orderId);
    }

    expect((await customer.get("/api/orders")).body.items.map((o: any) => o.id)).toEqual([orderId]);
    expect((await shop.payments(orderId)).map((p) => p.status)).toEqual(["CAPTURED"]);
    expect(await shop.stock(productId)).toBe(48);
    expect((await customer.get("/api/cart")).body.items).toEqual([]);
  }
}

/**
 * What the guarantee must not take away: a same-key retry replays the first answer, a failed
 * payment leaves the cart free for another try, and after a paid checkout the next cart is free.
 */
export async function oneCheckoutPerCartStillAllowsRetries(baseUrl: string) {
  const shop = await Shop.connect(baseUrl);
  const customer: Api = await shop.anon.newCustomer("again");
  const productId = await shop.product(10, 900);
  await shop.addToCart(customer, productId, 1);

  const declined = await shop.checkout(customer, CARDS.declined);
  expect(declined.status).toBe(402);
  const key = crypto.randomUUID();
  const paid = await shop.checkout(customer, CARDS.ok, key);
  expect(paid.status).toBe(201);
  const replay = await shop.checkout(customer, CARDS.ok, key);
  expect([replay.status, replay.body.id]).toEqual([201, paid.body.id]);

  // The ordered cart is gone; a new cart is a new checkout.
  expect((await shop.checkout(customer, CARDS.ok)).body.error.code).toBe("EMPTY_CART");
  await shop.addToCart(customer, productId, 2);
  const next = await shop.checkout(customer, CARDS.ok);
  expect(next.status).toBe(201);
  expect(next.body.id).not.toBe(paid.body.id);
  expect(await shop.stock(productId)).toBe(7);
}

/**
 * Checkouts of one cart at once, with different keys, that may die with the process (no answer, or
 * the gateway's 503 for the service that died): their answers.
 */
export async function raceCheckouts(shop: Shop, customer: Api, concurrent: number) {
  const answers = await Promise.all(Array.from({ length: concurrent }, () => shop.checkout(customer, CARDS.ok).catch(() => undefined)));
  for (const answer of answers) {
    if (!answer || answer.status === 201 || answer.status === 503) continue;
    expect(answer.status).toBe(409);
    expect(LOST_CART_RACE).toContain(answer.body.error.code);
  }
  const paid = answers.filter((a) => a?.status === 201);
  expect(paid.length).toBeLessThanOrEqual(1);
  return answers;
}

/**
 * After crashes, restarts and racing checkouts: every order settled (recovery), then the cart's
 * contents ordered exactly once (a checkout still allowed if none got through), one payment
 * captured, the stock taken once, the cart emptied, and one more checkout finds nothing to order.
 */
export async function expectCartOrderedOnce(
  shop: Shop,
  customer: Api,
  product: { id: string; stockBefore: number; quantity: number },
  eventually: (check: () => Promise<void>) => Promise<void>,
) {
  const orders = async (): Promise<any[]> => (await customer.get("/api/orders")).body.items;
  await eventually(async () => expect((await orders()).filter((o) => o.status === "PENDING")).toEqual([]));
  if (!(await orders()).some((o) => o.status === "PAID")) {
    // Nothing got through before the crash (recovery cancelled it): the cart is free for a new try.
    expect((await shop.checkout(customer, CARDS.ok)).status).toBe(201);
  }
  const paid = (await orders()).filter((o) => o.status === "PAID");
  expect(paid.length).toBe(1);
  const captured = ((await customer.get("/api/payments")).body as any[]).filter((p) => p.status === "CAPTURED");
  expect(captured.map((p) => p.orderId)).toEqual([paid[0].id]);
  expect(await shop.stock(product.id)).toBe(product.stockBefore - product.quantity);
  await eventually(async () => expect((await customer.get("/api/cart")).body.items).toEqual([]));
  const late = await shop.checkout(customer, CARDS.ok);
  expect([late.status, late.body.error?.code]).toEqual([409, "EMPTY_CART"]);
}
