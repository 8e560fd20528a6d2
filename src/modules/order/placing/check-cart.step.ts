import { conflict } from "../../../platform/errors";
import type { Cart } from "../../cart";
import { CHARGE_AMOUNT_LIMITS } from "../../payment";

/** What the customer saw before paying, optionally sent with the checkout. */
export interface ExpectedTotal {
  expectedTotalCents?: number;
  expectedCurrency?: string;
}

export type OrderableCart = Cart & { totalCents: number };

/**
 * Step 0, before anything is created or charged: the cart as it is now can be ordered, for what the
 * customer expects to pay, within what a card processor charges (409 AMOUNT_OUT_OF_BOUNDS). A cart is priced live: without an expected total, today's prices are
 * charged; with one, a different total is a 409 PRICE_CHANGED carrying the new total. No
 * compensation: nothing happened yet.
 */
export function checkCart(cart: Cart, expected: ExpectedTotal): OrderableCart {
  if (cart.items.length === 0) throw conflict("EMPTY_CART", "The cart is empty: add products before checking out");
  if (cart.totalCents === null) {
    // One currency per cart: a product's currency changed after it was added. Never summed, never charged.
    const currencies = [...new Set(cart.items.map((l) => l.currency))];
    const odd = cart.items.filter((l) => l.currency !== cart.currency).map((l) => l.productId);
    throw conflict(
      "CURRENCY_MISMATCH",
      `The cart holds lines in ${currencies.join(" and ")}; a checkout is in one currency: remove the lines not in ${cart.currency}`,
      { currencies, cartCurrency: cart.currency, productIds: odd },
    );
  }
  const priced = cart as OrderableCart;
  const totalDiffers = expected.expectedTotalCents !== undefined && expected.expectedTotalCents !== priced.totalCents;
  const currencyDiffers = expected.expectedCurrency !== undefined && expected.expectedCurrency !== priced.currency;
  if (totalDiffers || currencyDiffers) {
    const saw = `${expected.expectedTotalCents ?? priced.totalCents} ${expected.expectedCurrency ?? priced.currency}`;
    throw conflict(
      "PRICE_CHANGED",
      `The cart's total is now ${priced.totalCents} ${priced.currency} (minor units), not the ${saw} expected: nothing was ordered or charged; review the cart and check out again`,
      // What was expected, from the request's fields by name: the request also carries the card, which no answer repeats.
      {
        totalCents: priced.totalCents,
        currency: priced.currency,
        ...(expected.expectedTotalCents !== undefined && { expectedTotalCents: expected.expectedTotalCents }),
        ...(expected.expectedCurrency !== undefined && { expectedCurrency: expected.expectedCurrency }),
      },
    );
  }
  const { minCents, maxCents } = CHARGE_AMOUNT_LIMITS;
  if (priced.totalCents < minCents || priced.totalCents > maxCents) {
    // The payment module would refuse this charge: refused now, before an order exists. The total is
    // the cart's, not the request's: like the refusals above, a 409 (the request itself is valid).
    throw conflict(
      "AMOUNT_OUT_OF_BOUNDS",
      `A charge must be between ${minCents} and ${maxCents} minor units of its currency; this cart's total is ${priced.totalCents} ${priced.currency}`,
      { amountCents: priced.totalCents, currency: priced.currency, minCents, maxCents },
    );
  }
  return priced;
}
