import type { Database } from "bun:sqlite";
import { SqliteTable } from "../../../platform/db/table.sqlite";
import { outbox } from "../../../platform/events/outbox-schema";
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
import { orders } from "../schema";
import { failuresFrom, rangeWindow, seriesFrom, type OrderStatistics } from "./order-statistics";

const o = new SqliteTable(orders);
const events = new SqliteTable(outbox);
const [status, totalCents, currency, createdAt] = [o.column("status"), o.column("totalCents"), o.column("currency"), o.column("createdAt")];
const IN_REVENUE = `${status} IN (${REVENUE_STATUSES.map((s) => `'${s}'`).join(", ")})`;

/**
 * OrderStatistics on the module's SQLite connection, each answer read in one synchronous run:
 * every write of this process is visible to it, so the figures and `lastEventId` describe the
 * same moment. SQLite's own functions (strftime, json_extract) do the bucketing and the history.
 */
export class SqliteOrderStatistics implements OrderStatistics {
  private readonly countsByStatus;
  private readonly revenue;
  private readonly placedSince;
  private readonly lastOrderEvent;
  private readonly buckets;
  private readonly failureReasons;

  constructor(sqlite: Database) {
    this.countsByStatus = sqlite.query<{ status: OrderStatus; n: number }, []>(`SELECT ${status} AS status, count(*) AS n FROM ${o.name} GROUP BY ${status}`);
    this.revenue = sqlite.query<{ currency: string; n: number; revenue: number }, []>(
      `SELECT ${currency} AS currency, count(*) AS n, sum(${totalCents}) AS revenue FROM ${o.name} WHERE ${IN_REVENUE} GROUP BY ${currency} ORDER BY ${currency}`,
    );
    this.placedSince = sqlite.query<{ n: number }, [string]>(`SELECT count(*) AS n FROM ${o.name} WHERE ${createdAt} >= ?`);
    // The outbox keeps published events for a day (the relay prunes older ones); when it has
    // none, no event still on its way can be older than these figures.
    this.lastOrderEvent = sqlite.query<{ id: string }, []>(
      `SELECT ${events.column("id")} AS id FROM ${events.name} WHERE ${events.column("aggregateType")} = '${ORDER_AGGREGATE}' ORDER BY ${events.column("seq")} DESC LIMIT 1`,
    );
    this.buckets = sqlite.query<{ currency: string; bucket: number; orders: number; revenue: number }, [number, number, string, string]>(
      `SELECT ${currency} AS currency, (CAST(strftime('%s', ${createdAt}) AS INTEGER) - ?1) / ?2 AS bucket, count(*) AS orders,
              sum(CASE WHEN ${IN_REVENUE} THEN ${totalCents} ELSE 0 END) AS revenue
       FROM ${o.name} WHERE ${createdAt} >= ?3 AND ${createdAt} < ?4 GROUP BY ${currency}, bucket ORDER BY ${currency}`,
    );
    // A checkout failure went from PENDING straight to its end; a paid order cancelled later did not.
    this.failureReasons = sqlite.query<{ reason: string | null; n: number }, [string]>(
      `SELECT ${o.column("failureReason")} AS reason, count(*) AS n FROM ${o.name}
       WHERE ${createdAt} >= ? AND ${status} IN ('CANCELLED', 'PAYMENT_FAILED') AND json_extract(${o.column("history")}, '$[1].status') = ${status}
       GROUP BY ${o.column("failureReason")}`,
    );
  }

  async summary(now = Date.now()): Promise<OrderStats> {
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

  async series(range: StatsRange, now = Date.now()): Promise<OrderSeries> {
    const w = rangeWindow(range, now);
    const rows = this.buckets.all(w.from / 1000, w.bucketSeconds, new Date(w.from).toISOString(), new Date(w.to).toISOString());
    return seriesFrom(range, w, rows, this.lastOrderEvent.get()?.id ?? null);
  }

  async failures(range: StatsRange, now = Date.now()): Promise<CheckoutFailures> {
    const w = rangeWindow(range, now);
    return failuresFrom(range, w, this.failureReasons.all(new Date(w.from).toISOString()));
  }
}
