import { Show } from "solid-js";
import { errorMessage, type ApiClient } from "../api/client";
import type { OrderSort } from "../api/types";
import type { DashboardState } from "../state/dashboard-state";
import { isFiltered } from "../state/order-query";
import { ChartsPanel } from "./charts/ChartsPanel";
import { OrderDetails } from "./OrderDetails";
import { OrdersTable } from "./OrdersTable";
import { OrdersToolbar } from "./OrdersToolbar";
import { StatsBar } from "./StatsBar";

/**
 * Figures, charts, filters and the order table with its details panel. On phones the filters
 * fold into one line and the orders come before the figures and charts (CSS order).
 */
export function OrdersPage(props: { api: ApiClient; state: DashboardState }) {
  const s = props.state;
  let returnFocusTo: HTMLElement | null = null;
  const message = (e: unknown) => (e === null ? null : errorMessage(e));

  const close = () => {
    s.open.close();
    const target = returnFocusTo;
    returnFocusTo = null;
    // The row may have been re-rendered by a live update: find its button again by order id.
    queueMicrotask(() => {
      const id = target?.closest("tr")?.getAttribute("data-order-id");
      const again = id ? document.querySelector<HTMLElement>(`[data-testid="order-open-${CSS.escape(id)}"]`) : null;
      (again ?? (target?.isConnected ? target : null))?.focus();
    });
  };
  const sortBy = (sort: OrderSort) => {
    const q = s.query();
    s.setQuery({ ...q, sort, dir: q.sort === sort && q.dir === "desc" ? "asc" : "desc" });
  };

  return (
    <main id="main" class="layout" tabindex="-1">
      <div class="main-column">
        <div class="overview">
          <StatsBar
            stats={s.figures.stats()}
            loading={s.figures.statsLoading()}
            error={message(s.figures.statsError())}
            activeStatus={s.query().status}
            onPickStatus={(status) => s.setQuery({ ...s.query(), status })}
            onRetry={() => s.figures.refresh()}
          />
          <ChartsPanel figures={s.figures} range={s.range()} onRange={s.setRange} />
        </div>
        <OrdersToolbar query={s.query()} onChange={s.setQuery} onRefresh={s.refresh} refreshing={s.list.refreshing()} api={props.api} />
        <Show when={s.open.error()}>
          <p class="inline-error" role="alert">Could not open order {s.open.openId()}: {message(s.open.error())}</p>
        </Show>
        <OrdersTable
          orders={s.list.items()}
          loading={s.list.loading()}
          error={message(s.list.error())}
          query={s.query()}
          onSort={sortBy}
          hasMore={s.list.hasMore()}
          loadingMore={s.list.loadingMore()}
          loadMoreError={s.list.loadMoreError() === null ? null : `Could not load more orders: ${message(s.list.loadMoreError())}`}
          selectedId={s.open.openId()}
          flashIds={s.flashIds()}
          now={s.now()}
          filtered={isFiltered(s.query())}
          onOpen={(order, trigger) => {
            returnFocusTo = trigger;
            s.open.open(order);
          }}
          onLoadMore={() => s.list.loadMore()}
          onRetry={() => s.list.refresh()}
          onClearFilters={() => s.setQuery({ ...s.query(), status: null, q: "", fromDay: null, toDay: null })}
        />
      </div>
      <Show when={s.open.order()}>
        {(order) => (
          <>
            <div class="backdrop" aria-hidden="true" onClick={close} />
            <OrderDetails order={order()} api={props.api} onClose={close} onChanged={s.orderChanged} />
          </>
        )}
      </Show>
    </main>
  );
}
