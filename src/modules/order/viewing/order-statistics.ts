import type { CheckoutFailureReason, CheckoutFailures, CurrencySeries, OrderSeries, OrderStats, StatsRange } from "../contract";

/** Each range's length and bucket size: 60 one-minute, 48 half-hour and 28 six-hour buckets. */
export const RANGES: Record<StatsRange, { seconds: number; bucketSeconds: number }> = {
  hour: { seconds: 3600, bucketSeconds: 60 },
  day: { seconds: 86_400, bucketSeconds: 1800 },
  week: { seconds: 604_800, bucketSeconds: 21_600 },
};

/**
 * The first bucket of a range ending with the bucket that holds `now`: buckets are aligned to
 * multiples of their length (UTC), so two reads a few seconds apart share their buckets.
 */
export function rangeWindow(range: StatsRange, now: number): { from: number; to: number; bucketSeconds: number; buckets: number } {
  const { seconds, bucketSeconds } = RANGES[range];
  const size = bucketSeconds * 1000;
  const to = Math.floor(now / size) * size + size;
  return { from: to - seconds * 1000, to, bucketSeconds, buckets: seconds / bucketSeconds };
}

/**
 * A checkout failure's category, from the reason the checkout wrote (placing/reserve-stock.step.ts,
 * placing/charge-payment.step.ts, placing/settle-order.step.ts; test/order/checkout-failure-category.test.ts
 * feeds it their real texts).
 */
const FAILURE_PATTERNS: Array<[RegExp, CheckoutFailureReason]> = [
  [/^Out of stock/i, "out_of_stock"],
  [/^Product no longer sold/i, "product_unavailable"],
  [/insufficient funds/i, "insufficient_funds"],
  [/declined/i, "card_declined"],
  [/^Checkout (was cancelled|interrupted)/i, "interrupted"],
];

export function failureCategory(reason: string | null): CheckoutFailureReason {
  if (reason) for (const [pattern, category] of FAILURE_PATTERNS) if (pattern.test(reason)) return category;
  return "other";
}

export type RangeWindow = ReturnType<typeof rangeWindow>;

/** A series from per-currency bucket rows (empty buckets are zero): the same shaping on every engine. */
export function seriesFrom(
  range: StatsRange,
  w: RangeWindow,
  rows: Iterable<{ currency: string; bucket: number; orders: number; revenue: number }>,
  lastEventId: string | null,
): OrderSeries {
  const byCurrency = new Map<string, CurrencySeries>();
  for (const row of rows) {
    let series = byCurrency.get(row.currency);
    if (!series) {
      series = { currency: row.currency, orders: new Array(w.buckets).fill(0), revenueCents: new Array(w.buckets).fill(0) };
      byCurrency.set(row.currency, series);
    }
    series.orders[row.bucket] = row.orders;
    series.revenueCents[row.bucket] = row.revenue;
  }
  return { range, from: new Date(w.from).toISOString(), bucketSeconds: w.bucketSeconds, buckets: w.buckets, currencies: [...byCurrency.values()], lastEventId };
}

/** Failed checkouts by category from counts per stored reason, most frequent first. */
export function failuresFrom(range: StatsRange, w: RangeWindow, rows: Iterable<{ reason: string | null; n: number }>): CheckoutFailures {
  const counts = new Map<CheckoutFailureReason, number>();
  for (const row of rows) {
    const category = failureCategory(row.reason);
    counts.set(category, (counts.get(category) ?? 0) + row.n);
  }
  const reasons = [...counts].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));
  return { range, from: new Date(w.from).toISOString(), total: reasons.reduce((sum, r) => sum + r.count, 0), reasons };
}

/**
 * The operators' figures over the order database. Each answer is read in one go, so the figures
 * and `lastEventId` describe the same moment. SQLite: order-statistics.sqlite.ts.
 */
export interface OrderStatistics {
  summary(now?: number): Promise<OrderStats>;
  series(range: StatsRange, now?: number): Promise<OrderSeries>;
  failures(range: StatsRange, now?: number): Promise<CheckoutFailures>;
}
