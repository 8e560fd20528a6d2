// Pure functions that keep the dashboard's order list right as pages load and live events arrive.
// No DOM, no signals: the component holds an OrderList and replaces it with what these return.
import type { Order, OrderStatus } from "../../../src/modules/order/contract";

export interface OrderFilter {
  /** null = every status */
  status: OrderStatus | null;
  /** Order id or customer username; blank = no search. */
  q: string;
}

export interface OrderList {
  /** Newest first, unique by id, every item matches the filter the list was loaded for. */
  items: Order[];
  /** Cursor of the next (older) page, null when everything is loaded. */
  nextCursor: string | null;
}

export interface OrderPageLike {
  items: Order[];
  nextCursor: string | null;
}

/** Where the first page stands: loading (nothing to show yet), ready, or failed. */
export type ListState = "loading" | "ready" | "error";

export const EMPTY_LIST: OrderList = { items: [], nextCursor: null };

export const normaliseQuery = (q: string) => q.trim().toLowerCase();

/**
 * Whether an order belongs in a list loaded with this filter. The search mirrors the server's:
 * a case-insensitive substring of the order id or of the customer's username.
 */
export function matchesFilter(order: Order, filter: OrderFilter): boolean {
  if (filter.status && order.status !== filter.status) return false;
  const q = normaliseQuery(filter.q);
  if (!q) return true;
  return order.id.toLowerCase().includes(q) || order.username.toLowerCase().includes(q);
}

/**
 * Newest first, in the server's order: by id descending (ids are UUIDv7, so they sort by creation
 * time, and the API's cursor pages by id). createdAt breaks nothing but is used if ids tie.
 */
export function compareOrders(a: Order, b: Order): number {
  if (a.id !== b.id) return a.id < b.id ? 1 : -1;
  return Date.parse(b.createdAt) - Date.parse(a.createdAt);
}

/** True when `candidate` is a later version of the same order than `current` (ties count as newer). */
export function isSameOrNewer(candidate: Order, current: Order): boolean {
  const c = Date.parse(candidate.updatedAt);
  const k = Date.parse(current.updatedAt);
  if (Number.isNaN(c) || Number.isNaN(k)) return true;
  if (c !== k) return c > k;
  // Same timestamp: the one with the longer history has seen more moves.
  return candidate.history.length >= current.history.length;
}

function sorted(items: Order[]): Order[] {
  return [...items].sort(compareOrders);
}

/** Inserts at the sorted position (binary search; the list is already sorted). */
function insertSorted(items: Order[], order: Order): Order[] {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareOrders(items[mid]!, order) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return [...items.slice(0, lo), order, ...items.slice(lo)];
}

/**
 * Applies one live event (the order as it is after the change) to the list:
 * - already listed and still matching: replaced in place (an older version never overwrites a newer one);
 * - already listed but no longer matching the filter (e.g. shipped while filtering by PAID): removed;
 * - not listed and matching: inserted at its sorted place, unless it is older than the oldest loaded
 *   row while more pages exist (it will come with "load more", and inserting it would leave a gap).
 * Returns the same object when nothing changed, so callers can skip a render.
 */
export function applyOrderEvent(list: OrderList, order: Order, filter: OrderFilter): OrderList {
  const index = list.items.findIndex((o) => o.id === order.id);
  const matches = matchesFilter(order, filter);
  if (index >= 0) {
    const current = list.items[index]!;
    if (!isSameOrNewer(order, current)) return list;
    if (!matches) return { ...list, items: list.items.filter((o) => o.id !== order.id) };
    const items = [...list.items];
    items[index] = order;
    return { ...list, items }; // same id, same place
  }
  if (!matches) return list;
  const oldest = list.items[list.items.length - 1];
  if (list.nextCursor !== null && oldest && compareOrders(order, oldest) > 0) return list;
  return { ...list, items: insertSorted(list.items, order) };
}

/** Adds an older page ("load more"), skipping rows already present (e.g. inserted live). */
export function appendPage(list: OrderList, page: OrderPageLike): OrderList {
  const known = new Map(list.items.map((o) => [o.id, o]));
  const items = [...list.items];
  for (const order of page.items) {
    const existing = known.get(order.id);
    if (!existing) {
      items.push(order);
      known.set(order.id, order);
    } else if (isSameOrNewer(order, existing) && order !== existing) {
      items[items.indexOf(existing)] = order;
    }
  }
  return { items: sorted(items), nextCursor: page.nextCursor };
}

/**
 * Merges a freshly fetched first page into the list (after a reconnect, or when a load raced with
 * live events). `touched` holds ids that live events changed after the fetch was sent: their local
 * version may be newer than the snapshot, so they are kept even if the page lacks them.
 *
 * - Rows in both: the newer version wins.
 * - Rows only in the list, inside the page's range and not touched: gone from the filter, dropped.
 * - If the page is complete (nextCursor null), it is the whole truth (plus touched rows).
 * - If the page is partial and shares no row with the list, more orders arrived than a page holds:
 *   older loaded rows might sit behind a gap, so the list restarts from the page.
 * - Otherwise older loaded rows are kept and so is the list's cursor.
 */
export function mergeSnapshot(
  list: OrderList,
  page: OrderPageLike,
  filter: OrderFilter,
  touched: ReadonlySet<string> = new Set(),
): OrderList {
  const fresh = new Map(page.items.map((o) => [o.id, o]));
  const oldestFresh = page.items.length ? page.items.reduce((a, b) => (compareOrders(a, b) > 0 ? a : b)) : undefined;
  const overlaps = list.items.some((o) => fresh.has(o.id));
  const complete = page.nextCursor === null;
  const restart = !complete && !overlaps && list.items.length > 0;

  const byId = new Map<string, Order>();
  for (const order of page.items) byId.set(order.id, order);
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
    const insidePageRange = oldestFresh !== undefined && compareOrders(order, oldestFresh) <= 0;
    if (!insidePageRange) byId.set(order.id, order); // an older page we loaded earlier
  }
  const items = sorted([...byId.values()].filter((o) => matchesFilter(o, filter)));
  const nextCursor = complete ? null : restart || !list.items.length ? page.nextCursor : olderCursor(list, page, oldestFresh);
  return { items, nextCursor };
}

/** When older rows are kept, paging continues after whichever list reaches further back. */
function olderCursor(list: OrderList, page: OrderPageLike, oldestFresh: Order | undefined): string | null {
  const oldestListed = list.items[list.items.length - 1];
  if (!oldestListed || !oldestFresh) return page.nextCursor;
  return compareOrders(oldestListed, oldestFresh) > 0 ? list.nextCursor : page.nextCursor;
}

/** Finds an order by id in the list (for keeping an open details panel in sync). */
export const findOrder = (list: OrderList, id: string) => list.items.find((o) => o.id === id);
