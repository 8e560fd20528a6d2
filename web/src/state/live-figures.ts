// The operators' figures on screen: statistics, the orders/revenue series of the chosen range and
// checkout failures. Snapshots are resources (a late answer to an older request is dropped);
// live changes are added on top of the latest snapshot in the same batch that moves the list.
import { createEffect, createResource, on, onCleanup, type Accessor } from "solid-js";
import { createStore, reconcile } from "solid-js/store";
import type { ApiClient } from "../api/client";
import type { Order, OrderSeries, OrderStats, StatsRange } from "../api/types";
import { advanceSeries, applyToSeries, applyToStats, includedIn, isCheckoutFailure, replayOnto, versionKey, type LiveChange } from "./order-figures";

/** Changes kept to replay onto a snapshot that was in flight while they arrived. */
const RECENT_LIMIT = 5_000;
/** The hour figure and the series window move with the clock: re-read them this often. */
const REFRESH_MS = 60_000;
const FAILURES_DEBOUNCE_MS = 1_000;

interface Counted<T> {
  value: T | null;
  /** Order versions counted on top of the snapshot. */
  counted: Set<string>;
}

export function createLiveFigures(api: ApiClient, range: Accessor<StatsRange>) {
  const recent: LiveChange[] = [];
  const [figures, setFigures] = createStore<{ stats: OrderStats | null; series: OrderSeries | null }>({ stats: null, series: null });
  const stats: Counted<OrderStats> = { value: null, counted: new Set() };
  const series: Counted<OrderSeries> = { value: null, counted: new Set() };

  const [statsSnapshot, { refetch: refetchStats }] = createResource(() => api.stats());
  const [seriesSnapshot, { refetch: refetchSeries }] = createResource(range, async (r) => ({ range: r, series: await api.series(r) }));
  const [failures, { refetch: refetchFailures }] = createResource(range, (r) => api.failures(r));

  createEffect(on(() => (statsSnapshot.state === "ready" ? statsSnapshot() : undefined), (snapshot) => {
    if (!snapshot) return;
    const { figures: value, counted } = replayOnto(snapshot, recent, (s, order) => applyToStats(s, order));
    Object.assign(stats, { value, counted });
    setFigures("stats", reconcile(value));
  }));
  createEffect(on(() => (seriesSnapshot.state === "ready" ? seriesSnapshot() : undefined), (answer) => {
    if (!answer || answer.range !== range()) return;
    const { figures: value, counted } = replayOnto(answer.series, recent, applyToSeries);
    Object.assign(series, { value: advanceSeries(value, Date.now()), counted });
    setFigures("series", reconcile(series.value));
  }));

  let failuresTimer: ReturnType<typeof setTimeout> | undefined;
  const timer = setInterval(() => {
    void refetchStats();
    void refetchSeries();
    void refetchFailures();
  }, REFRESH_MS);
  onCleanup(() => {
    clearInterval(timer);
    clearTimeout(failuresTimer);
  });

  function count<T extends { lastEventId: string | null }>(target: Counted<T>, change: LiveChange, apply: (v: T, o: Order) => T): T | null {
    const key = versionKey(change.order);
    if (!target.value || includedIn(change, target.value.lastEventId) || target.counted.has(key)) return null;
    target.counted.add(key);
    target.value = apply(target.value, change.order);
    return target.value;
  }

  return {
    stats: () => figures.stats,
    series: () => figures.series,
    statsError: (): unknown => statsSnapshot.error ?? null,
    statsLoading: () => statsSnapshot.loading && !figures.stats,
    seriesLoading: () => seriesSnapshot.loading,
    seriesError: (): unknown => seriesSnapshot.error ?? null,
    failures: () => (failures.state === "ready" || failures.state === "refreshing" ? failures.latest : undefined),
    failuresError: (): unknown => failures.error ?? null,
    /** One order change; call inside the batch that applies it to the list. */
    accept(change: LiveChange) {
      if (change.eventId !== null) {
        recent.push(change);
        if (recent.length > RECENT_LIMIT) recent.splice(0, recent.length - RECENT_LIMIT);
      }
      const s = count(stats, change, (v, o) => applyToStats(v, o));
      if (s) setFigures("stats", reconcile(s));
      const t = count(series, change, applyToSeries);
      if (t) setFigures("series", reconcile(t));
      if (isCheckoutFailure(change.order) && failuresTimer === undefined) {
        failuresTimer = setTimeout(() => {
          failuresTimer = undefined;
          void refetchFailures();
        }, FAILURES_DEBOUNCE_MS);
      }
    },
    refresh() {
      void refetchStats();
      void refetchSeries();
      void refetchFailures();
    },
  };
}

export type LiveFigures = ReturnType<typeof createLiveFigures>;
