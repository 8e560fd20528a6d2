import { unprocessable } from "../../platform/errors";

/**
 * The fake card processor, following the well-known test-card convention:
 * ...4242 succeeds, ...0002 is declined, ...9995 fails for insufficient funds; any other valid
 * number succeeds. A number that is not 13-19 digits passing the Luhn check is a 422.
 */
export type CardDecision = { approved: true } | { approved: false; reason: "card_declined" | "insufficient_funds" };

export function normaliseCardNumber(raw: string): string {
  const digits = raw.replace(/[\s-]/g, "");
  if (!/^\d{13,19}$/.test(digits)) {
    throw unprocessable("INVALID_CARD_NUMBER", "cardNumber must be 13 to 19 digits", { field: "cardNumber" });
  }
  if (!luhnValid(digits)) throw unprocessable("INVALID_CARD_NUMBER", "cardNumber fails the Luhn check", { field: "cardNumber" });
  return digits;
}

/**
 * What one charge may be, in minor units of its currency, as card processors bound it (Stripe:
 * at least 0.50 of most currencies, at most 99,999,999 minor units). A 0-cent charge is no sale;
 * a bigger one is refused by the processor anyway. One bound for every currency keeps it simple.
 */
export const CHARGE_AMOUNT_LIMITS = { minCents: 50, maxCents: 99_999_999 } as const;

/** Why an amount cannot be charged (a message naming it and the bounds, and details), or undefined when it can. */
export function chargeAmountProblem(amountCents: number, currency: string): { message: string; details: Record<string, unknown> } | undefined {
  const { minCents, maxCents } = CHARGE_AMOUNT_LIMITS;
  if (Number.isSafeInteger(amountCents) && amountCents >= minCents && amountCents <= maxCents) return undefined;
  return {
    message: `A charge must be between ${minCents} and ${maxCents} minor units of its currency; this one is ${amountCents} ${currency}`,
    details: { amountCents, currency, minCents, maxCents },
  };
}

/** Throws the 422 that names the amount and the bounds: a charge request's amount is its input. */
export function checkChargeAmount(amountCents: number, currency: string): void {
  const problem = chargeAmountProblem(amountCents, currency);
  if (problem) throw unprocessable("AMOUNT_OUT_OF_BOUNDS", problem.message, problem.details);
}

export function decide(cardNumber: string): CardDecision {
  if (cardNumber.endsWith("0002")) return { approved: false, reason: "card_declined" };
  if (cardNumber.endsWith("9995")) return { approved: false, reason: "insufficient_funds" };
  return { approved: true };
}

export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}
