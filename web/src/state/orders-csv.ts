// Orders as CSV (RFC 4180) for spreadsheets, safe to open: a cell a spreadsheet would run as a
// formula (starting with = + - @, or a tab or carriage return that hides one) gets a leading
// apostrophe, so it shows as text.
import type { ApiClient } from "../api/client";
import type { Order } from "../api/types";
import { minorUnitDigits, statusLabel } from "../format";
import { instantsOf, type OrderQuery } from "./order-query";

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string | number | null | undefined): string {
  let text = value === null || value === undefined ? "" : String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** An amount in minor units as a plain decimal in major units: 123456 EUR -> "1234.56", 4500 JPY -> "4500". */
export function decimalAmount(minorUnits: number, currency: string): string {
  const digits = minorUnitDigits(currency);
  const sign = minorUnits < 0 ? "-" : "";
  const abs = String(Math.abs(minorUnits)).padStart(digits + 1, "0");
  return digits ? `${sign}${abs.slice(0, -digits)}.${abs.slice(-digits)}` : `${sign}${abs}`;
}

export const CSV_HEADER = ["Order", "Placed (UTC)", "Customer", "Status", "Items", "Total", "Currency", "Failure reason"];

export function ordersToCsv(orders: readonly Order[]): string {
  const rows = orders.map((o) => [
    o.id,
    o.createdAt,
    o.username,
    statusLabel(o.status),
    o.items.map((l) => `${l.name} × ${l.quantity}`).join("; "),
    decimalAmount(o.totalCents, o.currency),
    o.currency,
    o.failureReason,
  ]);
  return [CSV_HEADER, ...rows].map((row) => row.map(csvCell).join(",")).join("\r\n") + "\r\n";
}

/** Pages of 100; 2,000 pages = 200,000 orders is where an export stops and says so. */
const EXPORT_PAGE = 100;
const EXPORT_MAX_PAGES = 2_000;

/** Every order matching the query (not only what is loaded), in its sort order. */
export async function fetchAllOrders(api: ApiClient, query: OrderQuery, onProgress?: (count: number) => void): Promise<Order[]> {
  const all: Order[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < EXPORT_MAX_PAGES; page++) {
    const res = await api.listOrders({ limit: EXPORT_PAGE, status: query.status, q: query.q, sort: query.sort, dir: query.dir, cursor, ...instantsOf(query) });
    all.push(...res.items);
    onProgress?.(all.length);
    cursor = res.nextCursor;
    if (!cursor) return all;
  }
  throw new Error(`More than ${EXPORT_MAX_PAGES * EXPORT_PAGE} orders match: narrow the filters (e.g. a date range) and export again.`);
}

/** A file name that says what is in it: orders-2026-01-05.csv, or orders-PAID-2026-01-01-to-2026-01-31.csv. */
export function exportFileName(query: OrderQuery, today = new Date()): string {
  const parts = ["orders"];
  if (query.status) parts.push(query.status);
  if (query.fromDay || query.toDay) parts.push(`${query.fromDay ?? "start"}-to-${query.toDay ?? "now"}`);
  else parts.push(today.toISOString().slice(0, 10));
  return `${parts.join("-")}.csv`;
}
