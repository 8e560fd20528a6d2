import { For, Match, Show, Switch } from "solid-js";
import type { Order } from "../api/types";
import { formatDateTime, formatMoney, formatRelative, itemCountLabel, shortId } from "../format";
import type { ListState } from "../state/orders-store";
import { StatusBadge } from "./StatusBadge";


interface Props {
  orders: Order[];
  state: ListState;
  error: string | null;
  hasMore: boolean;
  loadingMore: boolean;
  loadMoreError: string | null;
  selectedId: string | null;
  flashIds: ReadonlySet<string>;
  now: number;
  filtered: boolean;
  onOpen(order: Order, trigger: HTMLElement): void;
  onLoadMore(): void;
  onRetry(): void;
  onClearFilters(): void;
}

/** Newest first. Becomes a stack of cards on narrow screens (CSS only; same markup). */
export function OrdersTable(props: Props) {
  return (
    <section class="orders" aria-labelledby="orders-title">
      <h2 id="orders-title" class="visually-hidden">Orders</h2>
      <Switch>
        <Match when={props.state === "loading" && props.orders.length === 0}>
          <div class="state state--loading" role="status" data-testid="orders-loading">
            <span class="spinner" aria-hidden="true" /> Loading orders…
          </div>
        </Match>
        <Match when={props.state === "error" && props.orders.length === 0}>
          <div class="state state--error" role="alert" data-testid="orders-error">
            <p>Could not load orders: {props.error}</p>
            <button type="button" class="btn" onClick={() => props.onRetry()}>
              Try again
            </button>
          </div>
        </Match>
        <Match when={props.orders.length === 0}>
          <div class="state state--empty" data-testid="orders-empty">
            <Show
              when={props.filtered}
              fallback={<p>No orders yet. New orders appear here as soon as customers check out.</p>}
            >
              <p>No orders match these filters.</p>
              <button type="button" class="btn" onClick={() => props.onClearFilters()}>
                Clear filters
              </button>
            </Show>
          </div>
        </Match>
        <Match when={true}>
          <Show when={props.state === "error"}>
            <p class="inline-error" role="alert">
              Could not refresh: {props.error}{" "}
              <button type="button" class="btn btn--link" onClick={() => props.onRetry()}>
                Retry
              </button>
            </p>
          </Show>
          <div class="table-wrap">
            <table class="orders-table" data-testid="orders-table">
              <caption class="visually-hidden">Orders, newest first. Select an order to see its details.</caption>
              <thead>
                <tr>
                  <th scope="col">Order</th>
                  <th scope="col">Customer</th>
                  <th scope="col">Status</th>
                  <th scope="col">Items</th>
                  <th scope="col" class="num">Total</th>
                  <th scope="col">Placed</th>
                </tr>
              </thead>
              <tbody>
                <For each={props.orders}>
                  {(order) => (
                    <tr
                      data-testid={`order-row-${order.id}`}
                      data-order-id={order.id}
                      classList={{ "is-selected": props.selectedId === order.id, "is-flash": props.flashIds.has(order.id) }}
                      onClick={(e) => {
                        const button = e.currentTarget.querySelector("button");
                        if (button) props.onOpen(order, button);
                      }}
                    >
                      <td data-label="Order">
                        <button
                          type="button"
                          class="link-button mono"
                          aria-label={`Open order ${order.id}`}
                          title={order.id}
                          onClick={(e) => {
                            e.stopPropagation();
                            props.onOpen(order, e.currentTarget);
                          }}
                          data-testid={`order-open-${order.id}`}
                        >
                          #{shortId(order.id)}
                        </button>
                      </td>
                      <td data-label="Customer" data-testid={`order-customer-${order.id}`}>{order.username}</td>
                      <td data-label="Status">
                        <StatusBadge status={order.status} testId={`order-status-${order.id}`} />
                      </td>
                      <td data-label="Items">{itemCountLabel(order.items)}</td>
                      <td data-label="Total" class="num" data-testid={`order-total-${order.id}`}>
                        {formatMoney(order.totalCents, order.currency)}
                      </td>
                      <td data-label="Placed">
                        <time datetime={order.createdAt} title={formatDateTime(order.createdAt)}>
                          {formatRelative(order.createdAt, props.now)}
                        </time>
                      </td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          </div>
          <div class="load-more">
            <Show when={props.loadMoreError}>
              <p class="inline-error" role="alert">{props.loadMoreError}</p>
            </Show>
            <Show when={props.hasMore} fallback={<p class="muted" data-testid="orders-end">{props.orders.length === 1 ? "1 order" : `${props.orders.length} orders`} · all loaded</p>}>
              <button type="button" class="btn" onClick={() => props.onLoadMore()} disabled={props.loadingMore} data-testid="btn-load-more">
                {props.loadingMore ? "Loading…" : "Load more"}
              </button>
            </Show>
          </div>
        </Match>
      </Switch>
    </section>
  );
}
