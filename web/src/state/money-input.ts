// Prices typed in major units ("12.50") to the API's integer minor units, and back.
import { minorUnitDigits } from "../format";

/**
 * "12.50" EUR -> 1250, "1500" JPY -> 1500. Text that is not a plain amount with at most the
 * currency's decimals is returned as it was typed, so the API judges it and names the field.
 */
export function toMinorUnits(text: string, currency: string): number | string {
  const digits = minorUnitDigits(currency);
  const m = /^\s*(-?)(\d{1,12})(?:[.,](\d*))?\s*$/.exec(text);
  if (!m || (m[3] ?? "").length > digits) return text;
  const value = Number(m[2]) * 10 ** digits + Number((m[3] ?? "").padEnd(digits, "0") || 0);
  return m[1] ? -value : value;
}

/** 1250 EUR -> "12.50" (for an input's value; no grouping, no symbol). */
export function fromMinorUnits(minor: number, currency: string): string {
  const digits = minorUnitDigits(currency);
  return digits ? (minor / 10 ** digits).toFixed(digits) : String(minor);
}

/** A whole number as typed, or the text itself for the API to refuse. */
export function toInteger(text: string): number | string {
  return /^\s*-?\d{1,12}\s*$/.test(text) ? Number(text) : text;
}
