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
