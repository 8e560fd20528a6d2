// The statistics and the time series kept current from the same live events that move the list,
// so the figures and the table change together. Pure functions over plain data.
//
// A snapshot from the server says which events it already includes (`lastEventId`: event ids grow
// with time), so a snapshot plus the events received with a greater id is exact whatever arrived
// first; an order version counted once (`versionKey`) is never counted again.
import { REVENUE_STATUSES, type Order, type OrderSeries, type OrderStats, type OrderStatus } from "../api/types";
const isRevenue = (status: OrderStatus | null) => status !== null && REVENUE_STATUSES.includes(status);

/** One order change as the stream delivered it. */
export interface LiveChange {
  /** The event's id, or null for an action's own answer (which has none). */
  eventId: string | null;
  order: Order;
}

/** Each status move appends one history entry, so the entry before the last is where the order came from. */
export function previousStatus(order: Order): OrderStatus | null {
  return order.history.length >= 2 ? order.history[order.history.length - 2]!.status : null;
}

/** Identifies one version of an order: the same change delivered twice has the same key. */
export const versionKey = (order: Order) => `${order.id}#${order.history.length}`;

/** Whether a snapshot taken at `lastEventId` already includes this change. */
export const includedIn = (change: LiveChange, lastEventId: string | null) =>
  change.eventId !== null && lastEventId !== null && change.eventId <= lastEventId;

/** A checkout that failed: the order went from PENDING straight to its end. */
export const isCheckoutFailure = (order: Order) =>
  (order.status === "CANCELLED" || order.status === "PAYMENT_FAILED") && order.history.length === 2;

export function applyToStats(stats: OrderStats, order: Order, now = Date.now()): OrderStats {
  const from = previousStatus(order);
  const counts = { ...stats.countsByStatus };
  counts[order.status] = (counts[order.status] ?? 0) + 1;
  if (from) counts[from] = Math.max(0, (counts[from] ?? 0) - 1);
  const created = from === null;
  const next: OrderStats = {
    ...stats,
    countsByStatus: counts,
    totalOrders: stats.totalOrders + (created ? 1 : 0),
    ordersLastHour: stats.ordersLastHour + (created && Date.parse(order.createdAt) >= now - 3600_000 ? 1 : 0),
  };
  const sign = isRevenue(order.status) === isRevenue(from) ? 0 : isRevenue(order.status) ? 1 : -1;
  if (sign === 0) return next;
  const rows = stats.revenueByCurrency.filter((r) => r.currency !== order.currency);
  const row = stats.revenueByCurrency.find((r) => r.currency === order.currency) ?? { currency: order.currency, paidOrders: 0, revenueCents: 0, averageOrderValueCents: 0 };
  const paidOrders = row.paidOrders + sign;
  const revenueCents = row.revenueCents + sign * order.totalCents;
  if (paidOrders > 0) rows.push({ currency: order.currency, paidOrders, revenueCents, averageOrderValueCents: Math.round(revenueCents / paidOrders) });
  rows.sort((a, b) => (a.currency < b.currency ? -1 : a.currency > b.currency ? 1 : 0));
  return { ...next, revenueByCurrency: rows };
}

/** Moves the window forward by `buckets`, dropping the oldest. */
function shift(series: OrderSeries, buckets: number): OrderSeries {
  const n = Math.min(buckets, series.buckets);
  const pad = new Array(n).fill(0);
  return {
    ...series,
    from: new Date(Date.parse(series.from) + buckets * series.bucketSeconds * 1000).toISOString(),
    currencies: series.currencies.map((c) => ({ ...c, orders: [...c.orders.slice(n), ...pad], revenueCents: [...c.revenueCents.slice(n), ...pad] })),
  };
}

/** Moves the window so that its last bucket holds `now` (a chart left open keeps moving). */
export function advanceSeries(series: OrderSeries, now: number): OrderSeries {
  const size = series.bucketSeconds * 1000;
  const index = Math.floor((now - Date.parse(series.from)) / size);
  return index >= series.buckets ? shift(series, index - series.buckets + 1) : series;
}

/** Counts a change in the bucket of the order's creation: a new order, and revenue won or lost. */
export function applyToSeries(series: OrderSeries, order: Order): OrderSeries {
  const created = Date.parse(order.createdAt);
  let next = advanceSeries(series, created);
  const index = Math.floor((created - Date.parse(next.from)) / (next.bucketSeconds * 1000));
  if (index < 0 || index >= next.buckets) return next;
  const from = previousStatus(order);
  const revenue = isRevenue(order.status) === isRevenue(from) ? 0 : (isRevenue(order.status) ? 1 : -1) * order.totalCents;
  if (from !== null && revenue === 0) return next;
  let currencies = next.currencies;
  if (!currencies.some((c) => c.currency === order.currency)) {
    const zeros = () => new Array(next.buckets).fill(0);
    currencies = [...currencies, { currency: order.currency, orders: zeros(), revenueCents: zeros() }].sort((a, b) => (a.currency < b.currency ? -1 : 1));
  }
  next = {
    ...next,
    currencies: currencies.map((c) => {
      if (c.currency !== order.currency) return c;
      const orders = [...c.orders];
      const revenueCents = [...c.revenueCents];
      if (from === null) orders[index]! += 1;
      revenueCents[index]! += revenue;
      return { ...c, orders, revenueCents };
    }),
  };
  return next;
}

/**
 * A fresh snapshot plus the changes received that it does not include, each version once.
 * Returns the figures and the versions now counted.
 */
export function replayOnto<T extends { lastEventId: string | null }>(
  snapshot: T,
  recent: readonly LiveChange[],
  apply: (figures: T, order: Order) => T,
): { figures: T; counted: Set<string> } {
  let figures = snapshot;
  const counted = new Set<string>();
  for (const change of recent) {
    if (change.eventId === null || includedIn(change, snapshot.lastEventId) || counted.has(versionKey(change.order))) continue;
    counted.add(versionKey(change.order));
    figures = apply(figures, change.order);
  }
  return { figures, counted };
}
