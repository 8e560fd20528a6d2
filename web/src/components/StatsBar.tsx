import { For, Show } from "solid-js";
import { ORDER_STATUSES, type OrderStats, type OrderStatus } from "../api/types";
import { formatCount, formatMoney, statusLabel } from "../format";

interface Props {
  stats: OrderStats | null;
  loading: boolean;
  error: string | null;
  activeStatus: OrderStatus | null;
  onPickStatus(status: OrderStatus | null): void;
  onRetry(): void;
}

/**
 * Key figures, then one chip per status that doubles as a quick filter. Money is shown per
 * currency, one whole amount per line: a figure never wraps inside itself.
 */
export function StatsBar(props: Props) {
  const count = (n: number | undefined) => (props.stats ? formatCount(n ?? NaN) : "—");
  const perCurrency = (pick: "revenueCents" | "averageOrderValueCents", testId: string) => (
    <Show when={props.stats && props.stats.revenueByCurrency.length > 0} fallback={<span class="figure" data-testid={`${testId}-none`}>—</span>}>
      <For each={props.stats!.revenueByCurrency}>
        {(row) => (
          <span class="figure" data-testid={`${testId}-${row.currency}`}>
            {formatMoney(row[pick], row.currency)}
          </span>
        )}
      </For>
    </Show>
  );

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
          <dd><span class="figure" data-testid="stats-total">{count(props.stats?.totalOrders)}</span></dd>
        </div>
        <div class="kpi">
          <dt>Last hour</dt>
          <dd><span class="figure" data-testid="stats-last-hour">{count(props.stats?.ordersLastHour)}</span></dd>
        </div>
        <div class="kpi">
          <dt>Revenue</dt>
          <dd class="figures" data-testid="stats-revenue">{perCurrency("revenueCents", "stats-revenue")}</dd>
        </div>
        <div class="kpi">
          <dt>Average order</dt>
          <dd class="figures" data-testid="stats-aov">{perCurrency("averageOrderValueCents", "stats-aov")}</dd>
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
