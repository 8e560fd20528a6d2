// The view mirrored in the address (?status=PAID&q=alice&from=2026-01-01&sort=totalCents&order=<id>),
// so a reload or a shared link shows the same view. Pure parse/format plus two thin browser helpers.
import { ORDER_SORTS, ORDER_STATUSES, type OrderSort, type OrderStatus, type SortDirection } from "../api/types";
import { DEFAULT_QUERY, dayStart, type OrderQuery } from "./order-query";

export type Page = "orders" | "products";

export interface ViewState {
  query: OrderQuery;
  orderId: string | null;
  page: Page;
}

const day = (value: string | null) => (value && dayStart(value) ? value : null);

export function parseViewState(search: string): ViewState {
  const params = new URLSearchParams(search);
  const status = params.get("status");
  const sort = params.get("sort");
  const orderId = params.get("order");
  return {
    query: {
      status: status && (ORDER_STATUSES as readonly string[]).includes(status) ? (status as OrderStatus) : null,
      q: (params.get("q") ?? "").slice(0, 100),
      fromDay: day(params.get("from")),
      toDay: day(params.get("to")),
      sort: sort && (ORDER_SORTS as readonly string[]).includes(sort) ? (sort as OrderSort) : DEFAULT_QUERY.sort,
      dir: (params.get("dir") === "asc" ? "asc" : "desc") as SortDirection,
    },
    orderId: orderId && /^[\w-]{1,64}$/.test(orderId) ? orderId : null,
    page: params.get("page") === "products" ? "products" : "orders",
  };
}

export function formatViewState(view: ViewState): string {
  const params = new URLSearchParams();
  const { query } = view;
  if (view.page !== "orders") params.set("page", view.page);
  if (query.status) params.set("status", query.status);
  if (query.q.trim()) params.set("q", query.q.trim());
  if (query.fromDay) params.set("from", query.fromDay);
  if (query.toDay) params.set("to", query.toDay);
  if (query.sort !== DEFAULT_QUERY.sort) params.set("sort", query.sort);
  if (query.dir !== DEFAULT_QUERY.dir) params.set("dir", query.dir);
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
