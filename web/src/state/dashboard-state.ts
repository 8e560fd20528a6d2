// What the operators' screen shows, wired to the live stream: every order change goes to the
// list, the open order and the figures in one batch, so the table and the figures move together.
import { batch, createEffect, createSignal, on, onCleanup } from "solid-js";
import type { ApiClient } from "../api/client";
import { connectLive } from "../api/live";
import type { Order, StatsRange } from "../api/types";
import { createFlash } from "./flash";
import { createLiveFigures } from "./live-figures";
import { createOpenOrder } from "./open-order";
import { createOrderList } from "./order-list";
import { sameQuery, type OrderQuery } from "./order-query";
import { readViewState, writeViewState, type Page } from "./url-state";

export function createDashboardState(api: ApiClient, token: string) {
  const initial = readViewState();
  const [page, setPage] = createSignal<Page>(initial.page);
  const [query, setQuery] = createSignal<OrderQuery>(initial.query, { equals: sameQuery });
  const [range, setRange] = createSignal<StatsRange>("hour");
  const list = createOrderList(api, query);
  const figures = createLiveFigures(api, range);
  const open = createOpenOrder(api, initial.orderId);
  const flash = createFlash();
  const [now, setNow] = createSignal(Date.now());
  const clock = setInterval(() => setNow(Date.now()), 30_000);

  const change = (order: Order, eventId: string | null) =>
    batch(() => {
      const moved = list.accept(order);
      open.accept(order);
      figures.accept({ eventId, order });
      if (moved && eventId !== null) flash.flash(order.id);
    });

  const live = connectLive({
    url: () => api.streamUrl(token),
    onOrder: (_type, order, eventId) => change(order, eventId),
    // The stream replays nothing: catch up on every (re)open, the first one included (it can
    // land after the first page was read).
    onOpen: () => {
      list.refresh();
      figures.refresh();
    },
    // A stream that keeps failing may mean an expired token (EventSource cannot tell us the
    // status): a plain call surfaces the 401, which signs the operator out.
    onError: (attempt) => {
      if (attempt === 2 || attempt % 5 === 0) figures.refresh();
    },
  });

  createEffect(on([query, open.openId, page], ([q, orderId, p]) => writeViewState({ query: q, orderId, page: p })));

  onCleanup(() => {
    live.close();
    clearInterval(clock);
  });

  return {
    page,
    setPage,
    query,
    setQuery: (next: OrderQuery) => setQuery({ ...next, q: next.q.trim() }),
    range,
    setRange,
    list,
    figures,
    open,
    flashIds: flash.ids,
    now,
    live,
    refresh() {
      list.refresh();
      figures.refresh();
    },
    /** An action's answer: shown at once rather than after the stream's echo. */
    orderChanged: (order: Order) => change(order, null),
  };
}

export type DashboardState = ReturnType<typeof createDashboardState>;
