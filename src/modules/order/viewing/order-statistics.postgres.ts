import type { SQL } from "bun";
import { PostgresTable } from "../../../platform/db/postgres/table.postgres";
import {
  ORDER_AGGREGATE,
  ORDER_STATUSES,
  REVENUE_STATUSES,
  type CheckoutFailures,
  type OrderSeries,
  type OrderStats,
  type OrderStatus,
  type StatsRange,
} from "../contract";
import { orders } from "../postgres-schema";
import { failuresFrom, rangeWindow, seriesFrom, type OrderStatistics } from "./order-statistics";

const o = new PostgresTable(orders);
const [status, totalCents, currency, createdAt] = [o.column("status"), o.column("totalCents"), o.column("currency"), o.column("createdAt")];
const IN_REVENUE = `${status} IN (${REVENUE_STATUSES.map((s) => `'${s}'`).join(", ")})`;

const COUNTS = `SELECT ${status} AS status, count(*)::float8 AS n FROM ${o.name} GROUP BY ${status}`;
const REVENUE = `SELECT ${currency} AS currency, count(*)::float8 AS n, sum(${totalCents})::float8 AS revenue FROM ${o.name} WHERE ${IN_REVENUE} GROUP BY ${currency} ORDER BY ${currency}`;
const PLACED_SINCE = `SELECT count(*)::float8 AS n FROM ${o.name} WHERE ${createdAt} >= $1::timestamptz`;
const LAST_ORDER_EVENT = `SELECT id FROM outbox WHERE aggregate_type = '${ORDER_AGGREGATE}' ORDER BY seq DESC LIMIT 1`;
const BUCKETS = `SELECT ${currency} AS currency, ((floor(extract(epoch FROM ${createdAt}))::bigint - $1::bigint) / $2::bigint)::int AS bucket, count(*)::float8 AS orders,
    sum(CASE WHEN ${IN_REVENUE} THEN ${totalCents} ELSE 0 END)::float8 AS revenue
  FROM ${o.name} WHERE ${createdAt} >= $3::timestamptz AND ${createdAt} < $4::timestamptz GROUP BY 1, 2 ORDER BY 1`;
// A checkout failure went from PENDING straight to its end; a paid order cancelled later did not.
const FAILURES = `SELECT ${o.column("failureReason")} AS reason, count(*)::float8 AS n FROM ${o.name}
  WHERE ${createdAt} >= $1::timestamptz AND ${status} IN ('CANCELLED', 'PAYMENT_FAILED') AND ${o.column("history")} -> 1 ->> 'status' = ${status}
  GROUP BY ${o.column("failureReason")}`;

/**
 * OrderStatistics on PostgreSQL, the twin of order-statistics.sqlite.ts: each answer's queries run
 * in one REPEATABLE READ READ ONLY transaction, so the figures and `lastEventId` describe the same
 * snapshot.
 */
export class PostgresOrderStatistics implements OrderStatistics {
  constructor(private readonly sql: SQL) {}

  private snapshot<T>(read: (tx: SQL) => Promise<T>): Promise<T> {
    return this.sql.begin("ISOLATION LEVEL REPEATABLE READ READ ONLY", read) as Promise<T>;
  }

  summary(now = Date.now()): Promise<OrderStats> {
    return this.snapshot(async (tx) => {
      const countsByStatus = Object.fromEntries(ORDER_STATUSES.map((s) => [s, 0])) as Record<OrderStatus, number>;
      for (const row of (await tx.unsafe(COUNTS)) as Array<{ status: OrderStatus; n: number }>) countsByStatus[row.status] = row.n;
      const [placed] = await tx.unsafe(PLACED_SINCE, [new Date(now - 3600_000).toISOString()]);
      const revenue = (await tx.unsafe(REVENUE)) as Array<{ currency: string; n: number; revenue: number }>;
      const [last] = await tx.unsafe(LAST_ORDER_EVENT);
      return {
        countsByStatus,
        totalOrders: Object.values(countsByStatus).reduce((a, b) => a + b, 0),
        ordersLastHour: placed.n,
        revenueByCurrency: revenue.map((r) => ({ currency: r.currency, paidOrders: r.n, revenueCents: r.revenue, averageOrderValueCents: Math.round(r.revenue / r.n) })),
        lastEventId: last?.id ?? null,
      };
    });
  }

  series(range: StatsRange, now = Date.now()): Promise<OrderSeries> {
    const w = rangeWindow(range, now);
    return this.snapshot(async (tx) => {
      const rows = (await tx.unsafe(BUCKETS, [w.from / 1000, w.bucketSeconds, new Date(w.from).toISOString(), new Date(w.to).toISOString()])) as Array<{
        currency: string;
        bucket: number;
        orders: number;
        revenue: number;
      }>;
      const [last] = await tx.unsafe(LAST_ORDER_EVENT);
      return seriesFrom(range, w, rows, last?.id ?? null);
    });
  }

  async failures(range: StatsRange, now = Date.now()): Promise<CheckoutFailures> {
    const w = rangeWindow(range, now);
    return failuresFrom(range, w, (await this.sql.unsafe(FAILURES, [new Date(w.from).toISOString()])) as Array<{ reason: string | null; n: number }>);
  }
}
