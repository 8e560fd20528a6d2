// The order list on screen: the first page for the current query (a resource, so an answer for a
// query the operator already left is dropped), older pages on demand, and every newer version of
// an order folded in. The rows live in a store reconciled by id, so a live change re-renders one row.
import { batch, createComputed, createEffect, createResource, createSignal, on, type Accessor } from "solid-js";
import { createStore, reconcile, unwrap } from "solid-js/store";
import type { ApiClient } from "../api/client";
import type { Order } from "../api/types";
import { appendPage, emptyList, applyOrderEvent, mergeSnapshot, type OrderList } from "./order-list-merge";
import { instantsOf, type OrderQuery } from "./order-query";

export const PAGE_SIZE = 25;

export function createOrderList(api: ApiClient, query: Accessor<OrderQuery>) {
  const [list, setList] = createStore<OrderList>(emptyList());
  // Ids changed live since the first page was asked for: the page may predate their change.
  let touched = new Set<string>();
  const request = (q: OrderQuery, cursor: string | null = null) =>
    api.listOrders({ limit: PAGE_SIZE, status: q.status, q: q.q, sort: q.sort, dir: q.dir, cursor, ...instantsOf(q) });

  // Each answer carries what it was asked for: it is used only while that is still the question.
  const [firstPage, { refetch }] = createResource(query, async (q) => {
    touched = new Set();
    return { query: q, page: await request(q) };
  });
  const [moreFrom, setMoreFrom] = createSignal<string | null>(null);
  const [nextPage, { refetch: refetchMore }] = createResource(moreFrom, async (cursor) => {
    const q = query();
    return { query: q, cursor, page: await request(q, cursor) };
  });

  const put = (next: OrderList) => setList(reconcile(next, { key: "id", merge: false }));

  // Another query: the table empties at once (the old rows would be wrong) and "load more" stops.
  createComputed(on(query, () => batch(() => {
    setMoreFrom(null);
    put(emptyList());
  }), { defer: true }));
  createEffect(on(() => (firstPage.state === "ready" ? firstPage() : undefined), (answer) => {
    if (answer && answer.query === query()) put(mergeSnapshot(unwrap(list), answer.page, answer.query, touched));
  }));
  createEffect(on(() => (nextPage.state === "ready" ? nextPage() : undefined), (answer) => {
    if (answer && answer.query === query() && answer.cursor === list.nextCursor) put(appendPage(unwrap(list), answer.page, answer.query));
  }));

  return {
    items: () => list.items,
    hasMore: () => list.nextCursor !== null,
    /** Nothing to show yet for this query. */
    loading: () => firstPage.loading && list.items.length === 0,
    refreshing: () => firstPage.loading && list.items.length > 0,
    error: (): unknown => firstPage.error ?? null,
    loadingMore: () => nextPage.loading,
    loadMoreError: (): unknown => (moreFrom() !== null ? nextPage.error ?? null : null),
    /** The page after the last loaded row (again, after a failure). */
    loadMore() {
      if (!list.nextCursor || nextPage.loading) return;
      if (moreFrom() === list.nextCursor) void refetchMore();
      else setMoreFrom(list.nextCursor);
    },
    /** Re-reads the first page and merges it (after a reconnect, or on demand). */
    refresh: () => void refetch(),
    /** A newer version of an order: from the stream, or an action's own answer. Returns whether the list changed. */
    accept(order: Order): boolean {
      touched.add(order.id);
      const before = unwrap(list);
      const after = applyOrderEvent(before, order, query());
      if (after === before) return false;
      put(after);
      return true;
    },
  };
}

export type OrderListState = ReturnType<typeof createOrderList>;
