import { describe, expect, test } from "bun:test";
import { countLabel, formatCount, formatDateTime, formatMoney, formatRelative, itemCountLabel, minorUnitDigits, shortId, statusLabel } from "../../web/src/format";

const en = { locale: "en-US", timeZone: "UTC" };

describe("formatMoney", () => {
  test("minor units to currency with grouping", () => {
    expect(formatMoney(123456, "USD", en)).toBe("$1,234.56");
    expect(formatMoney(0, "USD", en)).toBe("$0.00");
    expect(formatMoney(5, "USD", en)).toBe("$0.05");
    expect(formatMoney(-1999, "USD", en)).toBe("-$19.99");
  });
  test("follows the currency's minor unit", () => {
    expect(minorUnitDigits("USD")).toBe(2);
    expect(minorUnitDigits("JPY")).toBe(0);
    expect(formatMoney(1500, "JPY", en)).toBe("¥1,500");
    expect(formatMoney(1234, "EUR", { locale: "de-DE" })).toMatch(/^12,34\s€$/);
  });
  test("no float drift on large amounts", () => {
    expect(formatMoney(1_000_000_01, "USD", en)).toBe("$1,000,000.01");
  });
  test("a missing amount shows a dash, a lowercase code still works", () => {
    expect(formatMoney(NaN, "USD", en)).toBe("—");
    expect(formatMoney(100, "usd", en)).toBe("$1.00");
  });
});

describe("dates", () => {
  test("formatDateTime in a given zone", () => {
    expect(formatDateTime("2026-01-05T14:03:07.000Z", en)).toBe("Jan 5, 2026, 14:03:07");
    expect(formatDateTime("not a date", en)).toBe("—");
  });
  test("formatRelative", () => {
    const now = Date.parse("2026-01-05T12:00:00Z");
    expect(formatRelative("2026-01-05T11:59:40Z", now, en)).toBe("just now");
    expect(formatRelative("2026-01-05T11:55:00Z", now, en)).toBe("5 min. ago");
    expect(formatRelative("2026-01-05T09:00:00Z", now, en)).toBe("3 hr. ago");
    expect(formatRelative("2026-01-03T12:00:00Z", now, en)).toBe("2 days ago");
    expect(formatRelative("garbage", now, en)).toBe("—");
  });
});

describe("labels", () => {
  test("statusLabel", () => {
    expect(statusLabel("PAYMENT_FAILED")).toBe("Payment failed");
    expect(statusLabel("SHIPPED")).toBe("Shipped");
    expect(statusLabel("SOMETHING_NEW")).toBe("SOMETHING_NEW");
  });
  test("shortId keeps the distinctive tail", () => {
    expect(shortId("0198a000-0000-7000-8000-00000000abcd")).toBe("0000abcd");
    expect(shortId("abc")).toBe("abc");
  });
  test("countLabel: singular for exactly one, grouped digits", () => {
    expect(countLabel(1, "order")).toBe("1 order");
    expect(countLabel(0, "order")).toBe("0 orders");
    expect(countLabel(2, "order")).toBe("2 orders");
    expect(countLabel(1204, "order")).toMatch(/^1.204 orders$/);
  });
  test("itemCountLabel sums quantities", () => {
    expect(itemCountLabel([{ quantity: 1 }])).toBe("1 item");
    expect(itemCountLabel([{ quantity: 2 }, { quantity: 3 }])).toBe("5 items");
    expect(itemCountLabel([])).toBe("0 items");
  });
  test("formatCount groups", () => {
    expect(formatCount(12345, en)).toBe("12,345");
    expect(formatCount(NaN, en)).toBe("—");
  });
});
