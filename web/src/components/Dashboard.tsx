import { Show } from "solid-js";
import type { ApiClient } from "../api/client";
import type { Session } from "../api/types";
import { createOrdersController } from "../state/orders-controller";
import { Header } from "./Header";
import { OrderDetails } from "./OrderDetails";
import { OrdersTable } from "./OrdersTable";
import { OrdersToolbar } from "./OrdersToolbar";
import { StatsBar } from "./StatsBar";

/** The operator's screen: live indicator, statistics, the filtered order table and the details panel. */
export function Dashboard(props: { api: ApiClient; session: Session; onSignOut(): void }) {
  const orders = createOrdersController(props.api, props.session.token);
  let returnFocusTo: HTMLElement | null = null;

  const close = () => {
    orders.closeOrder();
    const target = returnFocusTo;
    returnFocusTo = null;
    // The row may have been re-rendered by a live update: find its button again by order id.
    queueMicrotask(() => {
      const id = target?.closest("tr")?.getAttribute("data-order-id");
      const again = id ? document.querySelector<HTMLElement>(`[data-testid="order-open-${CSS.escape(id)}"]`) : null;
      (again ?? (target?.isConnected ? target : null))?.focus();
    });
  };

  return (
    <div class="app" classList={{ "has-details": orders.selected() !== null }}>
      <a class="skip-link" href="#orders-main">Skip to orders</a>
      <Header session={props.session} live={orders.live} onSignOut={props.onSignOut} />
      <main id="orders-main" class="layout" tabindex="-1">
        <div class="main-column">
          <StatsBar
            stats={orders.stats()}
            loading={orders.statsLoading()}
            error={orders.statsError()}
            activeStatus={orders.filter().status}
            onPickStatus={(status) => orders.setFilter({ ...orders.filter(), status })}
            onRetry={() => void orders.loadStats()}
          />
          <OrdersToolbar filter={orders.filter()} onChange={orders.setFilter} onRefresh={orders.refresh} refreshing={orders.refreshing()} />
          <OrdersTable
            orders={orders.list().items}
            state={orders.listState()}
            error={orders.listError()}
            hasMore={orders.list().nextCursor !== null}
            loadingMore={orders.loadingMore()}
            loadMoreError={orders.loadMoreError()}
            selectedId={orders.selected()?.id ?? null}
            flashIds={orders.flashIds()}
            now={orders.now()}
            filtered={orders.filter().status !== null || orders.filter().q !== ""}
            onOpen={(order, trigger) => {
              returnFocusTo = trigger;
              void orders.openOrder(order);
            }}
            onLoadMore={() => void orders.loadMore()}
            onRetry={orders.retryList}
            onClearFilters={() => orders.setFilter({ status: null, q: "" })}
          />
        </div>
        <Show when={orders.selected()}>
          {(order) => (
            <>
              <div class="backdrop" aria-hidden="true" onClick={close} />
              <OrderDetails order={order()} api={props.api} onClose={close} onChanged={orders.orderChanged} />
            </>
          )}
        </Show>
      </main>
    </div>
  );
}
