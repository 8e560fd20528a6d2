import { For, Show } from "solid-js";
import { ORDER_STATUSES } from "../../../src/modules/order/contract";
import type { OrderStats, OrderStatus } from "../api/types";
import { formatCount, formatMoney, statusLabel } from "../format";

interface Props {
  stats: OrderStats | null;
  loading: boolean;
  error: string | null;
  activeStatus: OrderStatus | null;
  onPickStatus(status: OrderStatus | null): void;
  onRetry(): void;
}

/** Key figures, then one chip per status that doubles as a quick filter. */
export function StatsBar(props: Props) {
  const money = (cents: number | undefined) => (props.stats ? formatMoney(cents ?? NaN, props.stats.currency || "USD") : "—");
  const count = (n: number | undefined) => (props.stats ? formatCount(n ?? NaN) : "—");

  return (
    <section class="stats" aria-labelledby="stats-title" aria-busy={props.loading && !props.stats}>
      <h2 id="stats-title" class="visually-hidden">Statistics</h2>
      <Show when={props.error}>
        <p class="inline-error" role="alert" data-testid="stats-error">
          Statistics unavailable: {props.error}{" "}
          <button type="button" class="btn btn--link" onClick={() => props.onRetry()}>
            Retry
          </button>
        </p>
      </Show>
      <dl class="kpis">
        <div class="kpi">
          <dt>Orders</dt>
          <dd data-testid="stats-total">{count(props.stats?.totalOrders)}</dd>
        </div>
        <div class="kpi">
          <dt>Revenue</dt>
          <dd data-testid="stats-revenue">{money(props.stats?.revenueCents)}</dd>
        </div>
        <div class="kpi">
          <dt>Average order</dt>
          <dd data-testid="stats-aov">{money(props.stats?.averageOrderValueCents)}</dd>
        </div>
        <div class="kpi">
          <dt>Last hour</dt>
          <dd data-testid="stats-last-hour">{count(props.stats?.ordersLastHour)}</dd>
        </div>
      </dl>
      <div class="status-chips" role="group" aria-label="Orders by status (select to filter)">
        <For each={ORDER_STATUSES}>
          {(status) => (
            <button
              type="button"
              class={`chip chip--${status.toLowerCase()}`}
              aria-pressed={props.activeStatus === status}
              onClick={() => props.onPickStatus(props.activeStatus === status ? null : status)}
              data-testid={`stats-status-${status}`}
            >
              <span class="chip-label">{statusLabel(status)}</span>
              <span class="chip-count" data-testid={`stats-count-${status}`}>
                {count(props.stats?.countsByStatus?.[status])}
              </span>
            </button>
          )}
        </For>
      </div>
    </section>
  );
}
