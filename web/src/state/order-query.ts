// What the operator asked the order list for: filters (status, search, days placed) and a sort.
// Pure: the same rules the server applies, so live events land where a reload would put them.
import { ORDER_STATUSES, type Order, type OrderSort, type OrderStatus, type SortDirection } from "../api/types";

export interface OrderQuery {
  /** null = every status */
  status: OrderStatus | null;
  /** Order id or customer username; blank = no search. */
  q: string;
  /** First and last day placed, inclusive, as YYYY-MM-DD in the browser's time zone; null = open. */
  fromDay: string | null;
  toDay: string | null;
  sort: OrderSort;
  dir: SortDirection;
}

export const DEFAULT_QUERY: OrderQuery = { status: null, q: "", fromDay: null, toDay: null, sort: "createdAt", dir: "desc" };

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Local midnight starting a YYYY-MM-DD day, as an ISO instant; `plusDays` moves it (the end of a range is the next midnight). */
export function dayStart(day: string, plusDays = 0): string | null {
  const m = DAY.exec(day);
  if (!m) return null;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + plusDays);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/** The API's [from, to) instants for the query's days. */
export function instantsOf(query: Pick<OrderQuery, "fromDay" | "toDay">): { from?: string; to?: string } {
  const from = query.fromDay ? dayStart(query.fromDay) : null;
  const to = query.toDay ? dayStart(query.toDay, 1) : null;
  return { ...(from ? { from } : {}), ...(to ? { to } : {}) };
}

export const sameQuery = (a: OrderQuery, b: OrderQuery) =>
  a.status === b.status && a.q.trim() === b.q.trim() && a.fromDay === b.fromDay && a.toDay === b.toDay && a.sort === b.sort && a.dir === b.dir;

export const isFiltered = (q: OrderQuery) => q.status !== null || q.q.trim() !== "" || q.fromDay !== null || q.toDay !== null;

/** Whether an order belongs in a list loaded for this query (the search is the server's: a substring of id or username). */
export function matchesQuery(order: Order, query: OrderQuery): boolean {
  if (query.status && order.status !== query.status) return false;
  const { from, to } = instantsOf(query);
  if (from && order.createdAt < from) return false;
  if (to && order.createdAt >= to) return false;
  const q = query.q.trim().toLowerCase();
  if (!q) return true;
  return order.id.toLowerCase().includes(q) || order.username.toLowerCase().includes(q);
}

const newestFirst = (a: Order, b: Order) => (a.id === b.id ? 0 : a.id < b.id ? 1 : -1);

/**
 * The server's order for a sort (src/modules/order/order-repository.sqlite.ts sortKeys): time is id order
 * (UUIDv7), totals group by currency first, statuses in lifecycle order, newest first within a tie.
 */
export function comparatorFor(sort: OrderSort, dir: SortDirection): (a: Order, b: Order) => number {
  const sign = dir === "asc" ? 1 : -1;
  switch (sort) {
    case "createdAt":
      return (a, b) => -sign * newestFirst(a, b);
    case "totalCents":
      return (a, b) => (a.currency < b.currency ? -1 : a.currency > b.currency ? 1 : 0) || sign * (a.totalCents - b.totalCents) || newestFirst(a, b);
    case "status":
      return (a, b) => sign * (ORDER_STATUSES.indexOf(a.status) - ORDER_STATUSES.indexOf(b.status)) || newestFirst(a, b);
  }
}
