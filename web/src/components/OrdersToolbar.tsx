import { createEffect, createSignal, For, on, onCleanup } from "solid-js";
import { ORDER_STATUSES } from "../../../src/modules/order/contract";
import type { OrderStatus } from "../api/types";
import { statusLabel } from "../format";
import type { OrderFilter } from "../state/orders-store";

interface Props {
  filter: OrderFilter;
  onChange(filter: OrderFilter): void;
  onRefresh(): void;
  refreshing: boolean;
}

const SEARCH_DEBOUNCE_MS = 300;

/** Status filter and search (debounced while typing, immediate on Enter). */
export function OrdersToolbar(props: Props) {
  const [text, setText] = createSignal(props.filter.q);
  let timer: ReturnType<typeof setTimeout> | undefined;
  onCleanup(() => clearTimeout(timer));

  // Keep the box in step when the filter changes elsewhere (e.g. "Clear filters").
  createEffect(on(() => props.filter.q, (q) => {
    if (q.trim() !== text().trim()) setText(q);
  }, { defer: true }));

  const commit = (q: string) => {
    clearTimeout(timer);
    if (q.trim() !== props.filter.q.trim()) props.onChange({ ...props.filter, q: q.trim() });
  };

  return (
    <form class="toolbar" role="search" aria-label="Filter orders" onSubmit={(e) => { e.preventDefault(); commit(text()); }}>
      <label class="field field--inline">
        <span>Status</span>
        <select
          value={props.filter.status ?? ""}
          onChange={(e) => props.onChange({ ...props.filter, status: (e.currentTarget.value || null) as OrderStatus | null })}
          data-testid="filter-status"
        >
          <option value="">All statuses</option>
          <For each={ORDER_STATUSES}>{(s) => <option value={s}>{statusLabel(s)}</option>}</For>
        </select>
      </label>
      <label class="field field--inline field--grow">
        <span>Search</span>
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
      <button type="button" class="btn" onClick={() => props.onRefresh()} disabled={props.refreshing} data-testid="btn-refresh">
        {props.refreshing ? "Refreshing…" : "Refresh"}
      </button>
    </form>
  );
}
