import { unprocessable } from "./errors";

/**
 * A payment card number as ISO/IEC 7812 writes it: 13 to 19 digits, the last one a Luhn check
 * digit; spaces and dashes between groups are ignored. A value format, like an id or a date: the
 * checkout refuses a malformed card before it creates anything, and the payment module refuses
 * one it is asked to charge, by the same rule. Returns the digits alone, or throws the 422 that
 * names the field.
 */
export function normaliseCardNumber(raw: string): string {
  const digits = raw.replace(/[\s-]/g, "");
  if (!/^\d{13,19}$/.test(digits)) {
    throw unprocessable("INVALID_CARD_NUMBER", "cardNumber must be 13 to 19 digits", { field: "cardNumber" });
  }
  if (!luhnValid(digits)) throw unprocessable("INVALID_CARD_NUMBER", "cardNumber fails the Luhn check", { field: "cardNumber" });
  return digits;
}

function luhnValid(digits: string): boolean {
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
