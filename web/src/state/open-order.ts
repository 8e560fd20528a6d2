// The order in the details panel: shown at once from the row that was clicked, re-read from the
// server (a resource keyed by id), and kept current by live changes.
import { createEffect, createResource, createSignal, on } from "solid-js";
import type { ApiClient } from "../api/client";
import type { Order } from "../api/types";
import { isSameOrNewer } from "./order-list-merge";

export function createOpenOrder(api: ApiClient, initialId: string | null) {
  const [openId, setOpenId] = createSignal<string | null>(initialId);
  const [shown, setShown] = createSignal<Order | null>(null);
  const [fresh] = createResource(openId, (id) => api.getOrder(id));

  const take = (order: Order) => {
    const current = shown();
    if (order.id !== openId()) return;
    if (!current || current.id !== order.id || isSameOrNewer(order, current)) setShown(order);
  };
  createEffect(on(() => (fresh.state === "ready" ? fresh() : undefined), (order) => order && take(order)));

  return {
    order: () => {
      const order = shown();
      return order && order.id === openId() ? order : null;
    },
    /** Opening by id (a shared link) failed. */
    error: (): unknown => (shown()?.id === openId() ? null : fresh.error ?? null),
    open(order: Order | string) {
      const id = typeof order === "string" ? order : order.id;
      setOpenId(id);
      if (typeof order !== "string") take(order);
    },
    close() {
      setOpenId(null);
      setShown(null);
    },
    openId,
    /** A newer version of the open order (from the stream or an action). */
    accept: take,
  };
}
