import { describe, expect, test } from "bun:test";
import { CSV_HEADER, csvCell, decimalAmount, exportFileName, ordersToCsv } from "../../web/src/state/orders-csv";
import { DEFAULT_QUERY } from "../../web/src/state/order-query";
import { order } from "./fixtures";

describe("csvCell", () => {
  test("cells a spreadsheet would run as formulas are made text", () => {
    for (const danger of ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"]) expect(csvCell(danger).replace(/^"/, "").startsWith("'")).toBe(true);
    expect(csvCell("=HYPERLINK(\"http://x\")")).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvCell("a=b")).toBe("a=b");
  });
  test("commas, quotes and line breaks are quoted; empty values are empty", () => {
    expect(csvCell("a,b")).toBe(`"a,b"`);
    expect(csvCell('say "hi"')).toBe(`"say ""hi"""`);
    expect(csvCell("two\nlines")).toBe(`"two\nlines"`);
    expect(csvCell(null)).toBe("");
    expect(csvCell(12)).toBe("12");
  });
});

test("amounts are plain decimals in major units", () => {
  expect(decimalAmount(123456, "EUR")).toBe("1234.56");
  expect(decimalAmount(5, "EUR")).toBe("0.05");
  expect(decimalAmount(4500, "JPY")).toBe("4500");
  expect(decimalAmount(1234, "KWD")).toBe("1.234");
});

test("one row per order under a header, lines summarised, CRLF endings", () => {
  const o = order(1, { username: "=evil", items: [{ productId: "p", name: "@Mug, large", unitPriceCents: 1250, quantity: 2, lineTotalCents: 2500 }], totalCents: 2500, currency: "EUR" });
  const csv = ordersToCsv([o]);
  const [header, row, end] = csv.split("\r\n");
  expect(header).toBe(CSV_HEADER.join(","));
  expect(row).toBe(`${o.id},${o.createdAt},'=evil,Paid,"'@Mug, large × 2",25.00,EUR,`);
  expect(end).toBe("");
});

test("the file name says what was exported", () => {
  expect(exportFileName(DEFAULT_QUERY, new Date("2026-03-04T10:00:00Z"))).toBe("orders-2026-03-04.csv");
  expect(exportFileName({ ...DEFAULT_QUERY, status: "PAID", fromDay: "2026-01-01", toDay: null })).toBe("orders-PAID-2026-01-01-to-now.csv");
});
