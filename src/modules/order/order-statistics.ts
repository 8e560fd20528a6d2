import type { Database } from "bun:sqlite";
import {
  ORDER_STATUSES,
  type CheckoutFailureReason,
  type CheckoutFailures,
  type CurrencySeries,
  type OrderSeries,
  type OrderStats,
  type OrderStatus,
  type StatsRange,
} from "./contract";

/** Statuses whose amount counts as revenue: a cancelled paid order was refunded. */
export const REVENUE_STATUSES: readonly OrderStatus[] = ["PAID", "SHIPPED", "DELIVERED"];
const IN_REVENUE = `status IN (${REVENUE_STATUSES.map((s) => `'${s}'`).join(", ")})`;

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
 * A checkout failure's category, from the reason the checkout wrote (reserve-stock.step.ts,
 * charge-payment.step.ts, checkout-recovery.ts; test/order/order-stats-queries.test.ts feeds it their real texts).
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

/**
 * The operators' figures, read in one synchronous run on the module's connection: every write
 * of this process is visible to it, so the figures and `lastEventId` describe the same moment.
 * SQLite-specific (strftime, json_extract): the PostgreSQL port rewrites this file.
 */
export class OrderStatistics {
  private readonly countsByStatus;
  private readonly revenue;
  private readonly placedSince;
  private readonly lastOrderEvent;
  private readonly buckets;
  private readonly failureReasons;

  constructor(sqlite: Database) {
    this.countsByStatus = sqlite.query<{ status: OrderStatus; n: number }, []>("SELECT status, count(*) AS n FROM orders GROUP BY status");
    this.revenue = sqlite.query<{ currency: string; n: number; revenue: number }, []>(
      `SELECT currency, count(*) AS n, sum(total_cents) AS revenue FROM orders WHERE ${IN_REVENUE} GROUP BY currency ORDER BY currency`,
    );
    this.placedSince = sqlite.query<{ n: number }, [string]>("SELECT count(*) AS n FROM orders WHERE created_at >= ?");
    // The outbox keeps published events for a day (the relay prunes older ones); when it has
    // none, no event still on its way can be older than these figures.
    this.lastOrderEvent = sqlite.query<{ id: string }, []>("SELECT id FROM outbox WHERE aggregate_type = 'order' ORDER BY seq DESC LIMIT 1");
    this.buckets = sqlite.query<{ currency: string; bucket: number; orders: number; revenue: number }, [number, number, string, string]>(
      `SELECT currency, (CAST(strftime('%s', created_at) AS INTEGER) - ?1) / ?2 AS bucket, count(*) AS orders,
              sum(CASE WHEN ${IN_REVENUE} THEN total_cents ELSE 0 END) AS revenue
       FROM orders WHERE created_at >= ?3 AND created_at < ?4 GROUP BY currency, bucket ORDER BY currency`,
    );
    // A checkout failure went from PENDING straight to its end; a paid order cancelled later did not.
    this.failureReasons = sqlite.query<{ reason: string | null; n: number }, [string]>(
      `SELECT failure_reason AS reason, count(*) AS n FROM orders
       WHERE created_at >= ? AND status IN ('CANCELLED', 'PAYMENT_FAILED') AND json_extract(history, '$[1].status') = status
       GROUP BY failure_reason`,
    );
  }

  summary(now = Date.now()): OrderStats {
    const countsByStatus = Object.fromEntries(ORDER_STATUSES.map((s) => [s, 0])) as Record<OrderStatus, number>;
    for (const row of this.countsByStatus.all()) countsByStatus[row.status] = row.n;
    return {
      countsByStatus,
      totalOrders: Object.values(countsByStatus).reduce((a, b) => a + b, 0),
      ordersLastHour: this.placedSince.get(new Date(now - 3600_000).toISOString())!.n,
      revenueByCurrency: this.revenue.all().map((r) => ({
        currency: r.currency,
        paidOrders: r.n,
        revenueCents: r.revenue,
        averageOrderValueCents: Math.round(r.revenue / r.n),
      })),
      lastEventId: this.lastOrderEvent.get()?.id ?? null,
    };
  }

  series(range: StatsRange, now = Date.now()): OrderSeries {
    const w = rangeWindow(range, now);
    const byCurrency = new Map<string, CurrencySeries>();
    const rows = this.buckets.all(w.from / 1000, w.bucketSeconds, new Date(w.from).toISOString(), new Date(w.to).toISOString());
    for (const row of rows) {
      let series = byCurrency.get(row.currency);
      if (!series) {
        series = { currency: row.currency, orders: new Array(w.buckets).fill(0), revenueCents: new Array(w.buckets).fill(0) };
        byCurrency.set(row.currency, series);
      }
      series.orders[row.bucket] = row.orders;
      series.revenueCents[row.bucket] = row.revenue;
    }
    return {
      range,
      from: new Date(w.from).toISOString(),
      bucketSeconds: w.bucketSeconds,
      buckets: w.buckets,
      currencies: [...byCurrency.values()],
      lastEventId: this.lastOrderEvent.get()?.id ?? null,
    };
  }

  failures(range: StatsRange, now = Date.now()): CheckoutFailures {
    const w = rangeWindow(range, now);
    const counts = new Map<CheckoutFailureReason, number>();
    for (const row of this.failureReasons.all(new Date(w.from).toISOString())) {
      const category = failureCategory(row.reason);
      counts.set(category, (counts.get(category) ?? 0) + row.n);
    }
    const reasons = [...counts].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));
    return { range, from: new Date(w.from).toISOString(), total: reasons.reduce((sum, r) => sum + r.count, 0), reasons };
  }
}
