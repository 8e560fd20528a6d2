// How the loaded part of the order list changes as pages load and live events arrive. Pure
// functions over plain data: the list store (order-list.ts) reconciles their results into place.
import type { Order } from "../api/types";
import { comparatorFor, matchesQuery, type OrderQuery } from "./order-query";

export interface OrderList {
  /** In the query's sort order, unique by id, every item matching the query it was loaded for. */
  items: Order[];
  /** Cursor of the next page, null when everything is loaded. */
  nextCursor: string | null;
}

/** A new empty list each time: a store reconciles into the arrays it is given, so none may be shared. */
export const emptyList = (): OrderList => ({ items: [], nextCursor: null });

/** True when `candidate` is a later version of the same order than `current` (ties count as newer). */
export function isSameOrNewer(candidate: Order, current: Order): boolean {
  const c = Date.parse(candidate.updatedAt);
  const k = Date.parse(current.updatedAt);
  if (Number.isNaN(c) || Number.isNaN(k)) return true;
  if (c !== k) return c > k;
  // Same timestamp: the one with the longer history has seen more moves.
  return candidate.history.length >= current.history.length;
}

function insertSorted(items: Order[], order: Order, compare: (a: Order, b: Order) => number): Order[] {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compare(items[mid]!, order) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return [...items.slice(0, lo), order, ...items.slice(lo)];
}

/**
 * Applies one newer version of an order (a live event, or an action's answer):
 * - an older version than the listed one changes nothing;
 * - a listed order is taken out, then put back at its sorted place if it still matches (a status
 *   change moves it when sorting by status);
 * - it is not put back past the last loaded row while more pages exist: "load more" brings it,
 *   and showing it there would leave a gap.
 * Returns the same object when nothing changed, so callers can skip a render.
 */
export function applyOrderEvent(list: OrderList, order: Order, query: OrderQuery): OrderList {
  const index = list.items.findIndex((o) => o.id === order.id);
  if (index >= 0 && !isSameOrNewer(order, list.items[index]!)) return list;
  const rest = index >= 0 ? list.items.filter((o) => o.id !== order.id) : list.items;
  const compare = comparatorFor(query.sort, query.dir);
  const last = rest[rest.length - 1];
  const fits = matchesQuery(order, query) && (list.nextCursor === null || !last || compare(order, last) < 0);
  if (!fits) return index >= 0 ? { ...list, items: rest } : list;
  return { ...list, items: insertSorted(rest, order, compare) };
}

/** Adds the next page ("load more"), skipping rows already present (e.g. inserted live) but taking newer versions. */
export function appendPage(list: OrderList, page: OrderList, query: OrderQuery): OrderList {
  const byId = new Map(list.items.map((o) => [o.id, o]));
  for (const order of page.items) {
    const existing = byId.get(order.id);
    if (!existing || isSameOrNewer(order, existing)) byId.set(order.id, order);
  }
  return { items: [...byId.values()].sort(comparatorFor(query.sort, query.dir)), nextCursor: page.nextCursor };
}

/**
 * Merges a freshly fetched first page into the list (after a reconnect, or when a load raced with
 * live events). `touched` holds ids that live events changed after the fetch was sent: their local
 * version may be newer than the page, so they are kept even if the page lacks them.
 *
 * - Rows in both: the newer version wins.
 * - Rows only in the list, inside the page's range and not touched: gone from the query, dropped.
 * - If the page is complete (nextCursor null), it is the whole truth (plus touched rows).
 * - If the page is partial and shares no row with the list, more orders arrived than a page holds:
 *   older loaded rows might sit behind a gap, so the list restarts from the page.
 * - Otherwise rows loaded past the page are kept and so is the list's cursor.
 */
export function mergeSnapshot(list: OrderList, page: OrderList, query: OrderQuery, touched: ReadonlySet<string> = new Set()): OrderList {
  const compare = comparatorFor(query.sort, query.dir);
  const fresh = new Map(page.items.map((o) => [o.id, o]));
  const lastFresh = page.items.length ? page.items.reduce((a, b) => (compare(a, b) > 0 ? a : b)) : undefined;
  const overlaps = list.items.some((o) => fresh.has(o.id));
  const complete = page.nextCursor === null;
  const restart = !complete && !overlaps && list.items.length > 0;

  const byId = new Map<string, Order>(fresh);
  for (const order of list.items) {
    const snap = fresh.get(order.id);
    if (snap) {
      if (order !== snap && !isSameOrNewer(snap, order)) byId.set(order.id, order);
      continue;
    }
    if (touched.has(order.id)) {
      byId.set(order.id, order);
      continue;
    }
    if (complete || restart) continue;
    const insidePageRange = lastFresh !== undefined && compare(order, lastFresh) <= 0;
    if (!insidePageRange) byId.set(order.id, order); // a further page loaded earlier
  }
  const items = [...byId.values()].filter((o) => matchesQuery(o, query)).sort(compare);
  const lastListed = list.items[list.items.length - 1];
  const keepListCursor = !complete && !restart && lastListed && lastFresh && compare(lastListed, lastFresh) > 0;
  return { items, nextCursor: complete ? null : keepListCursor ? list.nextCursor : page.nextCursor };
}
