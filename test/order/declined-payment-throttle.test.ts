// The card-testing throttle as a unit: attempts of one account that are in flight together.
import { expect, test } from "bun:test";
import type { Order } from "../../src/modules/order";
import type { CheckoutOutcome } from "../../src/modules/order/placing/checkout-outcome";
import { DeclinedPaymentThrottle } from "../../src/modules/order/placing/declined-payment-throttle";
import { ClientAddresses } from "../../src/platform/http/client-address";
import { memoryRateLimiters } from "../../src/platform/throttling/memory-rate-limiter";

const customer = { userId: "u1", username: "tester", role: "customer" as const };
const throttle = (accountLimit: number) =>
  new DeclinedPaymentThrottle({
    limiterFor: memoryRateLimiters,
    perAccount: { name: "declined_payment_account", limit: accountLimit, windowSeconds: 600 },
    perAddress: { name: "declined_payment_address", limit: 100, windowSeconds: 600 },
    addresses: new ClientAddresses(),
  });
const request = () => new Request("http://shop.test/api/orders", { method: "POST" });
const ended = (ending: CheckoutOutcome["ending"], id: string): CheckoutOutcome => ({ ending, order: { id } as Order });

test("attempts of one account admitted together cannot decline more cards than its limit", async () => {
  const declines = throttle(2);
  let tried = 0;
  // Five attempts at once, each declined after a pause: only the limit's worth may reach the card.
  const attempts = Array.from({ length: 5 }, (_, i) =>
    declines
      .around(customer, `key-${i}`, request(), null, async () => {
        tried++;
        await Bun.sleep(20);
        return ended("PAYMENT_FAILED", `order-${i}`);
      })
      .then(() => "declined", (e: { status?: number }) => e.status),
  );
  const results = await Promise.all(attempts);
  expect(tried).toBe(2);
  expect(results.filter((r) => r === "declined").length).toBe(2);
  expect(results.filter((r) => r === 429).length).toBe(3);
});

test("an attempt that did not end declined gives its place back: a paying customer is never stopped", async () => {
  const declines = throttle(1);
  for (let i = 0; i < 5; i++) {
    const outcome = await declines.around(customer, `paid-${i}`, request(), null, async () => ended("PAID", `paid-${i}`));
    expect(outcome.ending).toBe("PAID");
  }
  await expect(declines.around(customer, "refused", request(), null, async () => {
    throw Object.assign(new Error("cart busy"), { status: 409 });
  })).rejects.toThrow("cart busy");
  const declined = await declines.around(customer, "declined", request(), null, async () => ended("PAYMENT_FAILED", "d1"));
  expect(declined.ending).toBe("PAYMENT_FAILED");
  const after = await declines.around(customer, "after", request(), null, async () => ended("PAYMENT_FAILED", "d2")).catch((e) => e.status);
  expect(after).toBe(429);
});
