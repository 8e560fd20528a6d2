// Display formatting for money, dates and statuses. Pure functions; the locale and time zone can
// be passed in so tests are deterministic (the UI uses the browser's defaults).
import type { OrderStatus } from "./api/types";

export interface FormatOptions {
  locale?: string;
  timeZone?: string;
}

const cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat | Intl.RelativeTimeFormat>();

function cached<T extends Intl.NumberFormat | Intl.DateTimeFormat | Intl.RelativeTimeFormat>(key: string, make: () => T): T {
  let f = cache.get(key) as T | undefined;
  if (!f) {
    f = make();
    cache.set(key, f);
  }
  return f;
}

function moneyFormat(currency: string, locale?: string): Intl.NumberFormat {
  const code = /^[A-Za-z]{3}$/.test(currency) ? currency.toUpperCase() : "USD";
  return cached(`money|${locale ?? ""}|${code}`, () => new Intl.NumberFormat(locale, { style: "currency", currency: code }));
}

/** Number of minor units in one major unit for a currency (2 for USD/EUR, 0 for JPY, 3 for KWD). */
export function minorUnitDigits(currency: string): number {
  return moneyFormat(currency, "en-US").resolvedOptions().maximumFractionDigits ?? 2;
}

/**
 * Integer minor units to a localised currency string: formatMoney(123456, "USD", {locale:"en-US"}) === "$1,234.56".
 * Non-finite input (a missing stat) shows as an em dash rather than "NaN".
 */
export function formatMoney(minorUnits: number, currency: string, opts: FormatOptions = {}): string {
  if (!Number.isFinite(minorUnits)) return "—";
  const digits = minorUnitDigits(currency);
  return moneyFormat(currency, opts.locale).format(minorUnits / 10 ** digits);
}

/** Whole numbers with grouping: 12345 -> "12,345". */
export function formatCount(n: number, opts: FormatOptions = {}): string {
  if (!Number.isFinite(n)) return "—";
  return cached(`count|${opts.locale ?? ""}`, () => new Intl.NumberFormat(opts.locale, { maximumFractionDigits: 0 })).format(n);
}

function parse(iso: string): Date | null {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** "Jan 5, 2026, 14:03:07" style date and time. */
export function formatDateTime(iso: string, opts: FormatOptions = {}): string {
  const d = parse(iso);
  if (!d) return "—";
  const f = cached(
    `dt|${opts.locale ?? ""}|${opts.timeZone ?? ""}`,
    () =>
      new Intl.DateTimeFormat(opts.locale, {
        year: "numeric",
        month: "short",
        day: "numeric",
        hour: "2-digit",
        minute: "2-digit",
        second: "2-digit",
        hourCycle: "h23",
        ...(opts.timeZone ? { timeZone: opts.timeZone } : {}),
      }),
  );
  return f.format(d);
}

/** "just now", "5 min. ago", "3 hr. ago", "2 days ago" relative to `now`. */
export function formatRelative(iso: string, now: number = Date.now(), opts: FormatOptions = {}): string {
  const d = parse(iso);
  if (!d) return "—";
  const seconds = Math.round((d.getTime() - now) / 1000);
  if (Math.abs(seconds) < 45) return "just now";
  const rtf = cached(`rel|${opts.locale ?? ""}`, () => new Intl.RelativeTimeFormat(opts.locale, { numeric: "auto", style: "short" }));
  const minutes = Math.round(seconds / 60);
  if (Math.abs(minutes) < 60) return rtf.format(minutes, "minute");
  const hours = Math.round(minutes / 60);
  if (Math.abs(hours) < 24) return rtf.format(hours, "hour");
  return rtf.format(Math.round(hours / 24), "day");
}

const STATUS_LABELS: Record<OrderStatus, string> = {
  PENDING: "Pending",
  PAID: "Paid",
  SHIPPED: "Shipped",
  DELIVERED: "Delivered",
  CANCELLED: "Cancelled",
  PAYMENT_FAILED: "Payment failed",
};

/** Human label for an order status; unknown values are shown as they came. */
export function statusLabel(status: string): string {
  return STATUS_LABELS[status as OrderStatus] ?? status;
}

/** A short, still-distinctive form of an id for tables (UUIDv7s share their time prefix, so keep the tail). */
export function shortId(id: string, length = 8): string {
  const compact = id.replace(/-/g, "");
  return compact.length <= length ? compact : compact.slice(-length);
}

/** "1 order", "2 orders", "1,204 orders": a count with its noun, singular for exactly one. */
export function countLabel(n: number, singular: string, plural = `${singular}s`): string {
  return `${formatCount(n)} ${n === 1 ? singular : plural}`;
}

/** "1 item" / "3 items" from order lines' quantities. */
export function itemCountLabel(lines: ReadonlyArray<{ quantity: number }>): string {
  return countLabel(lines.reduce((sum, l) => sum + l.quantity, 0), "item");
}
