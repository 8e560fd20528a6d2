// Filter and open order mirrored in the address (?status=PAID&q=alice&order=<id>), so a reload or a
// shared link shows the same view. Pure parse/format plus two thin browser helpers.
import { ORDER_STATUSES, type OrderStatus } from "../../../src/modules/order/contract";
import type { OrderFilter } from "./orders-store";

export interface ViewState {
  filter: OrderFilter;
  orderId: string | null;
}

export function parseViewState(search: string): ViewState {
  const params = new URLSearchParams(search);
  const status = params.get("status");
  const orderId = params.get("order");
  return {
    filter: {
      status: status && (ORDER_STATUSES as readonly string[]).includes(status) ? (status as OrderStatus) : null,
      q: (params.get("q") ?? "").slice(0, 100),
    },
    orderId: orderId && /^[\w-]{1,64}$/.test(orderId) ? orderId : null,
  };
}

export function formatViewState(view: ViewState): string {
  const params = new URLSearchParams();
  if (view.filter.status) params.set("status", view.filter.status);
  if (view.filter.q.trim()) params.set("q", view.filter.q.trim());
  if (view.orderId) params.set("order", view.orderId);
  const s = params.toString();
  return s ? `?${s}` : "";
}

export function readViewState(): ViewState {
  return parseViewState(globalThis.location?.search ?? "");
}

export function writeViewState(view: ViewState): void {
  if (!globalThis.location || !globalThis.history) return;
  const next = `${location.pathname}${formatViewState(view)}${location.hash}`;
  if (next !== `${location.pathname}${location.search}${location.hash}`) history.replaceState(history.state, "", next);
}
