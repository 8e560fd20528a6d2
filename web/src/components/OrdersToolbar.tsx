import { createEffect, createSignal, For, on, onCleanup } from "solid-js";
import { ORDER_STATUSES, type OrderSort, type OrderStatus, type SortDirection } from "../api/types";
import { statusLabel } from "../format";
import { isFiltered, type OrderQuery } from "../state/order-query";
import { ExportButton } from "./ExportButton";
import type { ApiClient } from "../api/client";

interface Props {
  query: OrderQuery;
  onChange(query: OrderQuery): void;
  onRefresh(): void;
  refreshing: boolean;
  api: ApiClient;
}

const SEARCH_DEBOUNCE_MS = 300;

const SORT_OPTIONS: Array<{ value: `${OrderSort}:${SortDirection}`; label: string }> = [
  { value: "createdAt:desc", label: "Newest first" },
  { value: "createdAt:asc", label: "Oldest first" },
  { value: "totalCents:desc", label: "Highest total" },
  { value: "totalCents:asc", label: "Lowest total" },
  { value: "status:asc", label: "Status, pending first" },
  { value: "status:desc", label: "Status, failed first" },
];

/** Search on one line; status, days placed and sort behind "Filters" on phones, inline on wider screens. */
export function OrdersToolbar(props: Props) {
  const [text, setText] = createSignal(props.query.q);
  const [open, setOpen] = createSignal(false);
  let timer: ReturnType<typeof setTimeout> | undefined;
  onCleanup(() => clearTimeout(timer));

  // Keep the box in step when the query changes elsewhere (e.g. "Clear filters").
  createEffect(on(() => props.query.q, (q) => {
    if (q.trim() !== text().trim()) setText(q);
  }, { defer: true }));

  const commit = (q: string) => {
    clearTimeout(timer);
    if (q.trim() !== props.query.q.trim()) props.onChange({ ...props.query, q: q.trim() });
  };
  const set = (patch: Partial<OrderQuery>) => props.onChange({ ...props.query, ...patch });
  const activeFilters = () => [props.query.status, props.query.fromDay, props.query.toDay].filter(Boolean).length;

  return (
    <form class="toolbar" classList={{ "is-open": open() }} role="search" aria-label="Filter orders" onSubmit={(e) => { e.preventDefault(); commit(text()); }}>
      <div class="toolbar-main">
        <label class="field field--inline field--grow">
          <span class="visually-hidden">Search</span>
          <input
            type="search"
            placeholder="Order id or customer"
            maxLength={100}
            value={text()}
            onInput={(e) => {
              const value = e.currentTarget.value;
              setText(value);
              clearTimeout(timer);
              timer = setTimeout(() => commit(value), SEARCH_DEBOUNCE_MS);
            }}
            data-testid="filter-search"
          />
        </label>
        <button type="button" class="btn toolbar-toggle" aria-expanded={open()} aria-controls="order-filters" onClick={() => setOpen(!open())} data-testid="btn-filters">
          Filters{activeFilters() ? ` (${activeFilters()})` : ""}
        </button>
      </div>
      <div class="toolbar-extra" id="order-filters">
        <label class="field field--inline">
          <span>Status</span>
          <select value={props.query.status ?? ""} onChange={(e) => set({ status: (e.currentTarget.value || null) as OrderStatus | null })} data-testid="filter-status">
            <option value="">All statuses</option>
            <For each={ORDER_STATUSES}>{(s) => <option value={s}>{statusLabel(s)}</option>}</For>
          </select>
        </label>
        <label class="field field--inline">
          <span>Placed from</span>
          <input type="date" value={props.query.fromDay ?? ""} max={props.query.toDay ?? undefined} onChange={(e) => set({ fromDay: e.currentTarget.value || null })} data-testid="filter-from" />
        </label>
        <label class="field field--inline">
          <span>to</span>
          <input type="date" value={props.query.toDay ?? ""} min={props.query.fromDay ?? undefined} onChange={(e) => set({ toDay: e.currentTarget.value || null })} data-testid="filter-to" />
        </label>
        <label class="field field--inline">
          <span>Sort</span>
          <select
            value={`${props.query.sort}:${props.query.dir}`}
            onChange={(e) => {
              const [sort, dir] = e.currentTarget.value.split(":") as [OrderSort, SortDirection];
              set({ sort, dir });
            }}
            data-testid="filter-sort"
          >
            <For each={SORT_OPTIONS}>{(o) => <option value={o.value}>{o.label}</option>}</For>
          </select>
        </label>
        <div class="toolbar-actions">
          {isFiltered(props.query) ? (
            <button type="button" class="btn btn--link" onClick={() => props.onChange({ ...props.query, status: null, q: "", fromDay: null, toDay: null })} data-testid="btn-clear-filters">
              Clear
            </button>
          ) : null}
          <ExportButton api={props.api} query={props.query} />
          <button type="button" class="btn" onClick={() => props.onRefresh()} disabled={props.refreshing} data-testid="btn-refresh">
            {props.refreshing ? "Refreshing…" : "Refresh"}
          </button>
        </div>
      </div>
    </form>
  );
}
