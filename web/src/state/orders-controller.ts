// The dashboard's live data: the filtered order list, the statistics, the open order and the
// live stream that keeps all three current. Components read the signals and call the actions;
// list arithmetic lives in the pure functions of orders-store.ts.
import { batch, createEffect, createSignal, on, onCleanup } from "solid-js";
import { errorMessage, type ApiClient } from "../api/client";
import { connectLive } from "../api/live";
import type { Order, OrderStats } from "../api/types";
import { EMPTY_LIST, appendPage, applyOrderEvent, isSameOrNewer, mergeSnapshot, type ListState, type OrderFilter, type OrderList } from "./orders-store";
import { readViewState, writeViewState } from "./url-state";

export const PAGE_SIZE = 25;
const STATS_MIN_INTERVAL_MS = 500;
const FLASH_MS = 2500;

export function createOrdersController(api: ApiClient, token: string) {
  const initial = readViewState();
  const [filter, setFilterSignal] = createSignal<OrderFilter>(initial.filter);
  const [list, setList] = createSignal<OrderList>(EMPTY_LIST);
  const [listState, setListState] = createSignal<ListState>("loading");
  const [listError, setListError] = createSignal<string | null>(null);
  const [refreshing, setRefreshing] = createSignal(false);
  const [loadingMore, setLoadingMore] = createSignal(false);
  const [loadMoreError, setLoadMoreError] = createSignal<string | null>(null);
  const [stats, setStats] = createSignal<OrderStats | null>(null);
  const [statsLoading, setStatsLoading] = createSignal(true);
  const [statsError, setStatsError] = createSignal<string | null>(null);
  const [selected, setSelected] = createSignal<Order | null>(null);
  const [flashIds, setFlashIds] = createSignal<ReadonlySet<string>>(new Set());
  const [now, setNow] = createSignal(Date.now());

  let seq = 0; // bumps on every first-page load; late answers of older loads are dropped
  let touched = new Set<string>(); // ids changed by live events since the current load was sent
  let statsTimer: ReturnType<typeof setTimeout> | undefined;
  let statsSeq = 0;
  let statsFetchedAt = 0;
  let statsPushed = false; // the server pushes `stats` events: no need to refetch after order events
  const flashTimers = new Map<string, ReturnType<typeof setTimeout>>();
  const clock = setInterval(() => setNow(Date.now()), 30_000);

  /** Loads the first page. `reset` clears the table first (new filter); otherwise merges (catch-up). */
  async function loadFirstPage(reset: boolean) {
    const mine = ++seq;
    touched = new Set();
    const f = filter();
    if (reset) {
      setList(EMPTY_LIST);
      setListState("loading");
    } else {
      setRefreshing(true);
    }
    setListError(null);
    setLoadMoreError(null);
    try {
      const page = await api.listOrders({ limit: PAGE_SIZE, status: f.status, q: f.q });
      if (mine !== seq) return;
      batch(() => {
        setList(mergeSnapshot(list(), page, f, touched));
        setListState("ready");
      });
    } catch (e) {
      if (mine !== seq) return;
      setListError(errorMessage(e));
      setListState("error");
    } finally {
      if (mine === seq) setRefreshing(false);
    }
  }

  async function loadMore() {
    const cursor = list().nextCursor;
    if (!cursor || loadingMore()) return;
    const mine = seq;
    const f = filter();
    setLoadingMore(true);
    setLoadMoreError(null);
    try {
      const page = await api.listOrders({ limit: PAGE_SIZE, status: f.status, q: f.q, cursor });
      if (mine !== seq) return; // the filter changed meanwhile
      setList(appendPage(list(), page));
    } catch (e) {
      if (mine === seq) setLoadMoreError(`Could not load more orders: ${errorMessage(e)}`);
    } finally {
      setLoadingMore(false);
    }
  }

  async function loadStats() {
    clearTimeout(statsTimer);
    statsTimer = undefined;
    statsFetchedAt = Date.now();
    const mine = ++statsSeq;
    try {
      const s = await api.stats();
      if (mine !== statsSeq) return;
      setStats(s);
      setStatsError(null);
    } catch (e) {
      if (mine === statsSeq) setStatsError(errorMessage(e));
    } finally {
      if (mine === statsSeq) setStatsLoading(false);
    }
  }

  /**
   * Stats follow order events: refetched at once, or at most every STATS_MIN_INTERVAL_MS during a
   * burst (one trailing fetch catches the end of it). A pushed `stats` event makes this unnecessary.
   */
  function scheduleStats() {
    if (statsTimer !== undefined) return;
    const wait = Math.max(0, statsFetchedAt + STATS_MIN_INTERVAL_MS - Date.now());
    statsTimer = setTimeout(loadStats, wait);
  }

  function flash(id: string) {
    clearTimeout(flashTimers.get(id));
    setFlashIds((prev) => new Set(prev).add(id));
    flashTimers.set(
      id,
      setTimeout(() => {
        flashTimers.delete(id);
        setFlashIds((prev) => {
          const next = new Set(prev);
          next.delete(id);
          return next;
        });
      }, FLASH_MS),
    );
  }

  /** Any newer version of an order (live event or an action's answer) goes through here. */
  function acceptOrder(order: Order, highlight = true) {
    touched.add(order.id);
    batch(() => {
      const before = list();
      const after = applyOrderEvent(before, order, filter());
      if (after !== before) {
        setList(after);
        if (highlight) flash(order.id);
      }
      const open = selected();
      if (open && open.id === order.id && isSameOrNewer(order, open)) setSelected(order);
    });
  }

  const live = connectLive({
    url: () => api.streamUrl(token),
    onOrder: (_type, order) => {
      acceptOrder(order);
      if (!statsPushed) scheduleStats();
    },
    onStats: (s) => {
      statsPushed = true;
      clearTimeout(statsTimer);
      statsTimer = undefined;
      statsSeq++; // an in-flight fetch may be older than this push
      batch(() => {
        setStats(s);
        setStatsError(null);
        setStatsLoading(false);
      });
    },
    // Catch up on whatever happened while we were not listening (also covers the first open,
    // which can land after the initial page was read).
    onOpen: () => {
      void loadFirstPage(false);
      void loadStats();
    },
    // A stream that keeps failing may mean an expired token (EventSource cannot tell us the
    // status): a plain call surfaces the 401, which signs the operator out.
    onError: (attempt) => {
      if (attempt === 2 || attempt % 5 === 0) void loadStats();
    },
  });

  function setFilter(next: OrderFilter) {
    const cur = filter();
    if (cur.status === next.status && cur.q.trim() === next.q.trim()) return;
    setFilterSignal({ status: next.status, q: next.q.trim() });
    void loadFirstPage(true);
  }

  async function openOrder(order: Order | string) {
    const id = typeof order === "string" ? order : order.id;
    if (typeof order !== "string") setSelected(order);
    try {
      const fresh = await api.getOrder(id);
      const open = selected();
      if (!open || open.id === id) {
        if (!open || isSameOrNewer(fresh, open)) setSelected(fresh);
      }
    } catch (e) {
      if (typeof order === "string" && !selected()) setListError(`Could not open order ${id}: ${errorMessage(e)}`);
    }
  }

  // Mirror the view in the address bar.
  createEffect(on([filter, () => selected()?.id ?? null], ([f, orderId]) => writeViewState({ filter: f, orderId })));

  void loadFirstPage(true);
  void loadStats();
  if (initial.orderId) void openOrder(initial.orderId);

  onCleanup(() => {
    live.close();
    clearTimeout(statsTimer);
    clearInterval(clock);
    for (const t of flashTimers.values()) clearTimeout(t);
  });

  return {
    filter,
    setFilter,
    list,
    listState,
    listError,
    refreshing,
    loadingMore,
    loadMoreError,
    stats,
    statsLoading,
    statsError,
    selected,
    flashIds,
    now,
    live,
    refresh: () => {
      void loadFirstPage(false);
      void loadStats();
    },
    retryList: () => void loadFirstPage(list().items.length === 0),
    loadMore,
    loadStats,
    openOrder,
    closeOrder: () => setSelected(null),
    /** An action's answer: apply it at once rather than waiting for the stream's echo. */
    orderChanged: (order: Order) => {
      acceptOrder(order, false);
      if (!statsPushed) scheduleStats();
    },
  };
}

export type OrdersController = ReturnType<typeof createOrdersController>;
