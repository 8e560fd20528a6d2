import { expect } from "bun:test";
import { customerAt, ClientAt, freshAddress } from "../support/client-at-address";
import type { ApiResponse } from "../support/http-client";
import { DEMO } from "../support/http-client";
import { CARDS, Shop } from "../support/shop";

/**
 * Throttling of sign-in, registration and declined payments over HTTP, used unchanged against the
 * all-in-one process and the split services behind the gateway. Each scenario acts from loopback
 * addresses of its own (127.0.x.y), so the per-address limits of one do not touch another, and
 * each ends by waiting out its window to show the limit lifts.
 */
export const THROTTLE_ENV = {
  THROTTLE_SIGN_IN_PER_ACCOUNT: "3/2",
  THROTTLE_SIGN_IN_PER_ADDRESS: "5/2",
  THROTTLE_REGISTRATION_PER_ADDRESS: "4/2",
  THROTTLE_DECLINED_PER_ACCOUNT: "3/3",
  THROTTLE_DECLINED_PER_ADDRESS: "5/3",
};

const WRONG = "wrong-password-123";
/** What a client sends to pick another address; it must change nothing. */
const spoofed = () => ({ "x-forwarded-for": `203.0.113.${Math.floor(Math.random() * 250) + 1}` });

export function expectThrottled(res: ApiResponse, code: string, rule: string, windowSeconds: number): number {
  expect(res.status).toBe(429);
  expect(res.body.error).toMatchObject({ code, details: { rule } });
  expect(res.body.error.message).toContain("try again in");
  const retryAfter = Number(res.headers.get("retry-after"));
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(windowSeconds);
  expect(res.body.error.details.retryAfterSeconds).toBe(retryAfter);
  return retryAfter;
}

const waitOut = (retryAfterSeconds: number) => Bun.sleep(retryAfterSeconds * 1000 + 150);
const signIn = (c: ClientAt, username: string, password: string) => c.post("/api/auth/token", { username, password }, spoofed());

export async function signInLockedPerAccount(url: string) {
  const client = new ClientAt(url, freshAddress());
  const username = await client.register("locked");
  for (let i = 0; i < 3; i++) expect((await signIn(client, username, WRONG)).status).toBe(401);
  expectThrottled(await signIn(client, username, WRONG), "TOO_MANY_ATTEMPTS", "sign_in_account", 2);
  // Locked: the right password too, and from any address (the limit is the account's).
  expectThrottled(await signIn(client, username, "correct-horse-battery"), "TOO_MANY_ATTEMPTS", "sign_in_account", 2);
  const retryAfter = expectThrottled(await signIn(new ClientAt(url, freshAddress()), username, "correct-horse-battery"), "TOO_MANY_ATTEMPTS", "sign_in_account", 2);
  // Nobody else is stopped by this account's failures, from the same address either.
  expect((await signIn(client, "alice", DEMO.alice)).status).toBe(200);
  await waitOut(retryAfter);
  expect((await signIn(client, username, "correct-horse-battery")).status).toBe(200);
}

export async function parallelGuessesCannotSlipPast(url: string) {
  const client = new ClientAt(url, freshAddress());
  const username = await client.register("guessed");
  const answers = await Promise.all(Array.from({ length: 20 }, () => signIn(client, username, WRONG)));
  const statuses = answers.map((a) => a.status);
  expect(statuses.filter((s) => s === 401)).toHaveLength(3); // exactly the limit reached the password check
  expect(statuses.filter((s) => s === 429)).toHaveLength(17);
  await waitOut(Math.max(...answers.map((a) => Number(a.headers.get("retry-after") ?? 0))));
  expect((await signIn(client, username, "correct-horse-battery")).status).toBe(200);
}

export async function signInLimitedPerAddress(url: string) {
  const client = new ClientAt(url, freshAddress());
  for (let i = 0; i < 5; i++) expect((await signIn(client, `ghost_${i}_${crypto.randomUUID().slice(0, 6)}`, WRONG)).status).toBe(401);
  // Failures across accounts from one address: now even a right password from it waits.
  const retryAfter = expectThrottled(await signIn(client, "alice", DEMO.alice), "TOO_MANY_ATTEMPTS", "sign_in_address", 2);
  expect((await signIn(new ClientAt(url, freshAddress()), "alice", DEMO.alice)).status).toBe(200);
  await waitOut(retryAfter);
  expect((await signIn(client, "alice", DEMO.alice)).status).toBe(200);
}

export async function successfulSignInsFromOneAddressAreNotLimited(url: string) {
  const client = new ClientAt(url, freshAddress());
  for (let i = 0; i < 12; i++) expect((await signIn(client, i % 2 ? "alice" : "bob", i % 2 ? DEMO.alice : DEMO.bob)).status).toBe(200);
}

export async function registrationsLimitedPerAddress(url: string) {
  const client = new ClientAt(url, freshAddress());
  const register = (c: ClientAt) => c.post("/api/auth/register", { username: `reg_${crypto.randomUUID().slice(0, 8)}`, password: "correct-horse-battery" }, spoofed());
  for (let i = 0; i < 4; i++) expect((await register(client)).status).toBe(201);
  const retryAfter = expectThrottled(await register(client), "TOO_MANY_REGISTRATIONS", "registration_address", 2);
  expect((await register(new ClientAt(url, freshAddress()))).status).toBe(201);
  await waitOut(retryAfter);
  expect((await register(client)).status).toBe(201);
}

async function cartWith(customer: ClientAt, productId: string) {
  expect((await customer.post("/api/cart/items", { productId, quantity: 1 })).status).toBe(201);
}
const checkout = (customer: ClientAt, card: string) => customer.post("/api/orders", { cardNumber: card }, { "idempotency-key": crypto.randomUUID(), ...spoofed() });

export async function declinedPaymentsStopCardTesting(url: string) {
  const shop = await Shop.connect(url);
  const productId = await shop.product(100);
  const address = freshAddress();

  // One customer trying cards: declined three times, then stopped before any other card is tried.
  const tester = await customerAt(url, address, "cards");
  await cartWith(tester, productId);
  for (let i = 0; i < 3; i++) expect((await checkout(tester, CARDS.declined)).status).toBe(402);
  expectThrottled(await checkout(tester, CARDS.insufficient), "TOO_MANY_DECLINED_PAYMENTS", "declined_payment_account", 3);
  expectThrottled(await checkout(tester, CARDS.ok), "TOO_MANY_DECLINED_PAYMENTS", "declined_payment_account", 3);
  const orders = (await tester.get("/api/orders")).body.items;
  expect(orders.map((o: any) => o.status)).toEqual(["PAYMENT_FAILED", "PAYMENT_FAILED", "PAYMENT_FAILED"]); // refused ones left nothing
  for (const order of orders) expect(await shop.payments(order.id)).toHaveLength(1);

  // The same address under another account: two more declines reach the address's limit of 5.
  const second = await customerAt(url, address, "cards2");
  await cartWith(second, productId);
  for (let i = 0; i < 2; i++) expect((await checkout(second, CARDS.declined)).status).toBe(402);
  expectThrottled(await checkout(second, CARDS.declined), "TOO_MANY_DECLINED_PAYMENTS", "declined_payment_address", 3);
  const third = await customerAt(url, address, "cards3");
  await cartWith(third, productId);
  const retryAfter = expectThrottled(await checkout(third, CARDS.ok), "TOO_MANY_DECLINED_PAYMENTS", "declined_payment_address", 3);

  // Elsewhere nobody is stopped; here the limit lifts when the window closes.
  const elsewhere = await customerAt(url, freshAddress(), "paying");
  await cartWith(elsewhere, productId);
  expect((await checkout(elsewhere, CARDS.ok)).status).toBe(201);
  await waitOut(retryAfter);
  expect((await checkout(third, CARDS.ok)).status).toBe(201);
}

export async function retriesAreNotCardTries(url: string) {
  const shop = await Shop.connect(url);
  const productId = await shop.product(100);
  const customer = await customerAt(url, freshAddress(), "retrier");
  await cartWith(customer, productId);
  const key = crypto.randomUUID();
  const again = () => customer.post("/api/orders", { cardNumber: CARDS.declined }, { "idempotency-key": key });
  // One declined checkout sent 10 times at once, then replayed 3 times: one order, one decline.
  const answers = [...(await Promise.all(Array.from({ length: 10 }, again))), await again(), await again(), await again()];
  expect(answers.map((a) => a.status)).toEqual(Array(13).fill(402));
  expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
  // So two more declines are allowed before the limit of 3.
  for (let i = 0; i < 2; i++) expect((await checkout(customer, CARDS.declined)).status).toBe(402);
  const retryAfter = expectThrottled(await checkout(customer, CARDS.declined), "TOO_MANY_DECLINED_PAYMENTS", "declined_payment_account", 3);
  await waitOut(retryAfter);
}

export async function parallelCardTestingIsBounded(url: string) {
  const shop = await Shop.connect(url);
  const productId = await shop.product(100);
  const tester = await customerAt(url, freshAddress(), "burst");
  await cartWith(tester, productId);
  // Waves of 20 declined checkouts at once, until the shop stops them (bounded: 6 waves). One cart is
  // checked out once at a time (409 to the others), and only the limit's worth of cards is ever tried.
  const answers: ApiResponse[] = [];
  for (let wave = 0; wave < 6 && !answers.some((a) => a.status === 429); wave++) {
    answers.push(...(await Promise.all(Array.from({ length: 20 }, () => checkout(tester, CARDS.declined)))));
  }
  const statuses = answers.map((a) => a.status);
  expect(statuses.filter((s) => s === 402).length).toBeLessThanOrEqual(3);
  expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(1);
  expect(statuses.every((s) => s === 402 || s === 409 || s === 429)).toBe(true); // 409: the cart is being checked out already
  const charged = await Promise.all((await tester.get("/api/orders")).body.items.map((o: any) => shop.payments(o.id)));
  expect(charged.flat().length).toBeLessThanOrEqual(3);
  await waitOut(Math.max(...answers.map((a) => Number(a.headers.get("retry-after") ?? 0))));
}

/** Runs a scenario and checks that its refusals were counted in shop_throttled_total{rule} of the process that refused them. */
export async function countedIn(metricsUrl: string, rules: string[], scenario: () => Promise<void>) {
  const before = await Promise.all(rules.map((r) => throttledCount(metricsUrl, r)));
  await scenario();
  const after = await Promise.all(rules.map((r) => throttledCount(metricsUrl, r)));
  rules.forEach((rule, i) => expect({ rule, counted: after[i]! > before[i]! }).toEqual({ rule, counted: true }));
}

/** shop_throttled_total{rule} of one process's /metrics. */
export async function throttledCount(metricsUrl: string, rule: string): Promise<number> {
  const text = await (await fetch(metricsUrl)).text();
  const line = text.split("\n").find((l) => l.startsWith(`shop_throttled_total{rule="${rule}"}`));
  return line ? Number(line.split(" ").pop()) : 0;
}
