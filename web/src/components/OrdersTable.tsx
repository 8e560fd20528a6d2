import { For, Match, Show, Switch, type JSX } from "solid-js";
import type { Order, OrderSort } from "../api/types";
import { countLabel, formatDateTime, formatMoney, formatRelative, itemCountLabel, shortId } from "../format";
import type { OrderQuery } from "../state/order-query";
import { StatusBadge } from "./StatusBadge";

interface Props {
  orders: Order[];
  /** Nothing to show yet for this query. */
  loading: boolean;
  error: string | null;
  query: OrderQuery;
  onSort(sort: OrderSort): void;
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

/** In the query's sort. Becomes a stack of cards on narrow screens (CSS only; same markup). */
export function OrdersTable(props: Props) {
  /** A column header that sorts: the active column flips its direction, another starts descending. */
  const sortable = (sort: OrderSort, label: string, extra: JSX.HTMLAttributes<HTMLTableCellElement> = {}) => (
    <th
      scope="col"
      {...extra}
      aria-sort={props.query.sort === sort ? (props.query.dir === "asc" ? "ascending" : "descending") : "none"}
    >
      <button type="button" class="sort-button" onClick={() => props.onSort(sort)} data-testid={`sort-${sort}`}>
        {label}
        <span class="sort-mark" aria-hidden="true">{props.query.sort === sort ? (props.query.dir === "asc" ? "▲" : "▼") : ""}</span>
      </button>
    </th>
  );

  return (
    <section class="orders" aria-labelledby="orders-title">
      <h2 id="orders-title" class="visually-hidden">Orders</h2>
      <Switch>
        <Match when={props.loading}>
          <div class="state state--loading" role="status" data-testid="orders-loading">
            <span class="spinner" aria-hidden="true" /> Loading orders…
          </div>
        </Match>
        <Match when={props.error !== null && props.orders.length === 0}>
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
          <Show when={props.error !== null}>
            <p class="inline-error" role="alert">
              Could not refresh: {props.error}{" "}
              <button type="button" class="btn btn--link" onClick={() => props.onRetry()}>
                Retry
              </button>
            </p>
          </Show>
          <div class="table-wrap">
            <table class="orders-table" data-testid="orders-table">
              <caption class="visually-hidden">Orders. Select an order to see its details; select a column heading to sort.</caption>
              <thead>
                <tr>
                  <th scope="col">Order</th>
                  <th scope="col">Customer</th>
                  {sortable("status", "Status")}
                  <th scope="col">Items</th>
                  {sortable("totalCents", "Total", { class: "num" })}
                  {sortable("createdAt", "Placed")}
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
            <Show when={props.hasMore} fallback={<p class="muted" data-testid="orders-end">{countLabel(props.orders.length, "order")} · all loaded</p>}>
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
