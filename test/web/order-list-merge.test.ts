import { describe, expect, test } from "bun:test";
import { appendPage, emptyList, applyOrderEvent, isSameOrNewer, mergeSnapshot, type OrderList } from "../../web/src/state/order-list-merge";
import { DEFAULT_QUERY, comparatorFor, matchesQuery, type OrderQuery } from "../../web/src/state/order-query";
import type { OrderStatus } from "../../src/modules/order/contract";
import { idOf, ids, moved, order } from "./fixtures";

const ALL: OrderQuery = DEFAULT_QUERY;
const PAID: OrderQuery = { ...DEFAULT_QUERY, status: "PAID" };
const search = (q: string, status: OrderStatus | null = null): OrderQuery => ({ ...DEFAULT_QUERY, q, status });
const compareOrders = comparatorFor("createdAt", "desc");
const list = (ns: number[], nextCursor: string | null = null, status?: OrderStatus): OrderList => ({
  items: ns.map((n) => order(n, status ? { status } : {})),
  nextCursor,
});

describe("matchesQuery", () => {
  test("no filter matches everything", () => {
    expect(matchesQuery(order(1, { status: "CANCELLED" }), ALL)).toBe(true);
  });
  test("status must be equal", () => {
    expect(matchesQuery(order(1, { status: "PAID" }), PAID)).toBe(true);
    expect(matchesQuery(order(1, { status: "SHIPPED" }), PAID)).toBe(false);
  });
  test("search is a case-insensitive substring of the id or the username, trimmed", () => {
    const o = order(1, { username: "Alice_99" });
    expect(matchesQuery(o, search("  alice "))).toBe(true);
    expect(matchesQuery(o, search("E_9"))).toBe(true);
    expect(matchesQuery(o, search("000000000001"))).toBe(true);
    expect(matchesQuery(o, search("bob"))).toBe(false);
    expect(matchesQuery(o, search("alice", "SHIPPED"))).toBe(false);
  });
});

describe("comparatorFor / isSameOrNewer", () => {
  test("newest (highest id) first", () => {
    const sorted = [order(2), order(5), order(1)].sort(compareOrders).map((o) => o.id);
    expect(sorted).toEqual([idOf(5), idOf(2), idOf(1)]);
  });
  test("a later updatedAt is newer; an equal one with a longer history is too", () => {
    const o = order(1);
    const later = moved(o, "SHIPPED");
    expect(isSameOrNewer(later, o)).toBe(true);
    expect(isSameOrNewer(o, later)).toBe(false);
    const sameTime = { ...o, history: [...o.history, { status: "SHIPPED" as const, at: o.updatedAt }] };
    expect(isSameOrNewer(sameTime, o)).toBe(true);
    expect(isSameOrNewer(o, sameTime)).toBe(false);
  });
});

describe("applyOrderEvent", () => {
  test("a new order goes on top", () => {
    const next = applyOrderEvent(list([3, 2, 1]), order(4, { status: "PENDING" }), ALL);
    expect(ids(next)).toEqual([idOf(4), idOf(3), idOf(2), idOf(1)]);
  });

  test("an update replaces the row in place", () => {
    const before = list([3, 2, 1]);
    const shipped = moved(before.items[1]!, "SHIPPED");
    const next = applyOrderEvent(before, shipped, ALL);
    expect(ids(next)).toEqual(ids(before));
    expect(next.items[1]!.status).toBe("SHIPPED");
    expect(next.items[0]).toBe(before.items[0]!); // untouched rows keep their identity
  });

  test("a stale event never overwrites a newer row, and returns the same list", () => {
    const o = order(2);
    const shipped = moved(o, "SHIPPED");
    const current: OrderList = { items: [shipped], nextCursor: null };
    expect(applyOrderEvent(current, o, ALL)).toBe(current);
  });

  test("an order that stops matching the filter leaves the list", () => {
    const before = list([3, 2, 1], null, "PAID");
    const next = applyOrderEvent(before, moved(before.items[0]!, "SHIPPED"), PAID);
    expect(ids(next)).toEqual([idOf(2), idOf(1)]);
  });

  test("an order that starts matching the filter joins at its place", () => {
    const before = list([5, 1], null, "PAID");
    const becamePaid = moved(order(3, { status: "PENDING" }), "PAID");
    const next = applyOrderEvent(before, becamePaid, PAID);
    expect(ids(next)).toEqual([idOf(5), idOf(3), idOf(1)]);
  });

  test("a non-matching new order is ignored (same list back)", () => {
    const before = list([2, 1], null, "PAID");
    expect(applyOrderEvent(before, order(3, { status: "PENDING" }), PAID)).toBe(before);
    expect(applyOrderEvent(before, order(3, { username: "zed" }), search("alice"))).toBe(before);
  });

  test("an order older than the loaded window waits for 'load more' when more pages exist", () => {
    const before = list([9, 8, 7], "cursor-7");
    expect(applyOrderEvent(before, order(2), ALL)).toBe(before);
    // ...but is shown when the whole list is loaded
    const all = list([9, 8, 7]);
    expect(ids(applyOrderEvent(all, order(2), ALL))).toEqual([idOf(9), idOf(8), idOf(7), idOf(2)]);
  });

  test("the first event into an empty list is shown", () => {
    expect(ids(applyOrderEvent(emptyList(), order(1), ALL))).toEqual([idOf(1)]);
  });

  test("keeps the cursor", () => {
    expect(applyOrderEvent(list([5, 4], "c"), order(6), ALL).nextCursor).toBe("c");
  });
});

describe("appendPage", () => {
  test("adds older rows and takes the page's cursor", () => {
    const next = appendPage(list([6, 5], "c5"), list([4, 3], "c3"), ALL);
    expect(ids(next)).toEqual([idOf(6), idOf(5), idOf(4), idOf(3)]);
    expect(next.nextCursor).toBe("c3");
  });
  test("skips rows already present (inserted live) but takes their newer version", () => {
    const shipped = moved(order(4), "SHIPPED");
    const next = appendPage(list([6, 5, 4], "c"), { items: [shipped, order(3)], nextCursor: null }, ALL);
    expect(ids(next)).toEqual([idOf(6), idOf(5), idOf(4), idOf(3)]);
    expect(next.items[2]!.status).toBe("SHIPPED");
    expect(next.nextCursor).toBeNull();
  });
});

describe("mergeSnapshot", () => {
  test("into an empty list it is the page", () => {
    const page = list([3, 2], "c2");
    expect(mergeSnapshot(emptyList(), page, ALL)).toEqual({ items: page.items, nextCursor: "c2" });
  });

  test("newer versions win whichever side has them", () => {
    const local = moved(order(3), "SHIPPED");
    const serverNewer = moved(order(2), "DELIVERED");
    const merged = mergeSnapshot({ items: [local, order(2)], nextCursor: null }, { items: [order(3), serverNewer], nextCursor: null }, ALL);
    expect(merged.items.map((o) => o.status)).toEqual(["SHIPPED", "DELIVERED"]);
  });

  test("a complete page drops rows it no longer has, except ones touched live since the fetch", () => {
    const current = list([5, 4, 3]);
    const page = list([5, 3]); // 4 left the filter while we were away
    expect(ids(mergeSnapshot(current, page, ALL))).toEqual([idOf(5), idOf(3)]);
    const touched = new Set([idOf(4)]);
    expect(ids(mergeSnapshot(current, page, ALL, touched))).toEqual([idOf(5), idOf(4), idOf(3)]);
  });

  test("a touched row that no longer matches the filter is still dropped", () => {
    const current: OrderList = { items: [moved(order(4), "SHIPPED")], nextCursor: null };
    expect(ids(mergeSnapshot(current, emptyList(), PAID, new Set([idOf(4)])))).toEqual([]);
  });

  test("a partial page keeps older loaded pages and the list's cursor", () => {
    const current = list([6, 5, 4, 3, 2], "c2"); // the operator loaded more
    const page = list([7, 6, 5], "c5"); // one new order arrived
    const merged = mergeSnapshot(current, page, ALL);
    expect(ids(merged)).toEqual([7, 6, 5, 4, 3, 2].map(idOf));
    expect(merged.nextCursor).toBe("c2");
  });

  test("a partial page that reaches further back than the list wins the cursor", () => {
    const merged = mergeSnapshot(list([5], "c5"), list([6, 5, 4], "c4"), ALL);
    expect(ids(merged)).toEqual([6, 5, 4].map(idOf));
    expect(merged.nextCursor).toBe("c4");
  });

  test("a partial page drops rows inside its range that it no longer has", () => {
    const merged = mergeSnapshot(list([6, 5, 4, 3, 2], "c2"), list([7, 6, 4], "c4"), ALL);
    expect(ids(merged)).toEqual([7, 6, 4, 3, 2].map(idOf));
  });

  test("a partial page with no row in common restarts the list (there may be a gap)", () => {
    const merged = mergeSnapshot(list([3, 2, 1], "c1"), list([20, 19, 18], "c18"), ALL);
    expect(ids(merged)).toEqual([20, 19, 18].map(idOf));
    expect(merged.nextCursor).toBe("c18");
  });

  test("the result is sorted and unique", () => {
    const merged = mergeSnapshot(list([4, 2]), list([5, 4, 3, 2, 1]), ALL);
    expect(ids(merged)).toEqual([5, 4, 3, 2, 1].map(idOf));
  });
});

describe("sorted by something other than time", () => {
  const BY_STATUS: OrderQuery = { ...DEFAULT_QUERY, sort: "status", dir: "asc" };
  const BY_TOTAL_DESC: OrderQuery = { ...DEFAULT_QUERY, sort: "totalCents", dir: "desc" };

  test("the comparators follow the server: lifecycle order, currency then amount, newest first within a tie", () => {
    const pending = order(1, { status: "PENDING" });
    const paid = order(2, { status: "PAID" });
    const failed = order(3, { status: "PAYMENT_FAILED" });
    expect([failed, paid, pending].sort(comparatorFor("status", "asc")).map((o) => o.status)).toEqual(["PENDING", "PAID", "PAYMENT_FAILED"]);
    const eurBig = order(4, { currency: "EUR", totalCents: 9000 });
    const eurSmall = order(5, { currency: "EUR", totalCents: 100 });
    const jpy = order(6, { currency: "JPY", totalCents: 999_999 });
    const eurSmallOlder = order(1, { currency: "EUR", totalCents: 100 });
    expect([jpy, eurSmallOlder, eurSmall, eurBig].sort(comparatorFor("totalCents", "desc")).map((o) => o.id)).toEqual([idOf(4), idOf(5), idOf(1), idOf(6)]);
    expect([jpy, eurSmallOlder, eurSmall, eurBig].sort(comparatorFor("totalCents", "asc")).map((o) => o.id)).toEqual([idOf(5), idOf(1), idOf(4), idOf(6)]);
  });

  test("a status change moves the row to its new place", () => {
    const rows = [order(3, { status: "PENDING" }), order(2, { status: "PAID" }), order(1, { status: "SHIPPED" })];
    const before: OrderList = { items: rows, nextCursor: null };
    const next = applyOrderEvent(before, moved(rows[0]!, "PAYMENT_FAILED"), BY_STATUS);
    expect(next.items.map((o) => o.status)).toEqual(["PAID", "SHIPPED", "PAYMENT_FAILED"]);
    expect(next.items[0]).toBe(rows[1]!);
  });

  test("a new order goes where the sort puts it, or waits for 'load more' past the last loaded row", () => {
    const before: OrderList = { items: [order(1, { totalCents: 9000 }), order(2, { totalCents: 500 })], nextCursor: "c" };
    expect(ids(applyOrderEvent(before, order(3, { totalCents: 4000 }), BY_TOTAL_DESC))).toEqual([idOf(1), idOf(3), idOf(2)]);
    expect(applyOrderEvent(before, order(4, { totalCents: 10 }), BY_TOTAL_DESC)).toBe(before);
  });

  test("pages merge in the query's order", () => {
    const merged = mergeSnapshot(emptyList(), { items: [order(1, { totalCents: 1 }), order(2, { totalCents: 5 })], nextCursor: null }, BY_TOTAL_DESC);
    expect(ids(merged)).toEqual([idOf(2), idOf(1)]);
    const appended = appendPage({ items: [order(5, { totalCents: 50 })], nextCursor: "c" }, { items: [order(6, { totalCents: 20 })], nextCursor: null }, BY_TOTAL_DESC);
    expect(ids(appended)).toEqual([idOf(5), idOf(6)]);
  });
});

describe("date range", () => {
  test("an order placed outside the days asked for does not match", () => {
    const o = order(1, { createdAt: "2026-01-10T12:00:00.000Z" });
    const inRange = { ...DEFAULT_QUERY, fromDay: "2026-01-09", toDay: "2026-01-11" };
    expect(matchesQuery(o, inRange)).toBe(true);
    expect(matchesQuery(o, { ...inRange, fromDay: "2026-01-12", toDay: null })).toBe(false);
    expect(matchesQuery(o, { ...inRange, fromDay: null, toDay: "2026-01-08" })).toBe(false);
  });
});
