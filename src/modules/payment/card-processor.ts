import { unprocessable } from "../../platform/errors";
import { CHARGE_AMOUNT_LIMITS } from "./contract";

/**
 * The fake card processor, following the well-known test-card convention:
 * ...4242 succeeds, ...0002 is declined, ...9995 fails for insufficient funds; any other valid
 * number succeeds. The card number's format is checked before (platform/card-number.ts).
 */
export type CardDecision = { approved: true } | { approved: false; reason: "card_declined" | "insufficient_funds" };

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
