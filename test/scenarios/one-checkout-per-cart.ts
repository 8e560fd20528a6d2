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
