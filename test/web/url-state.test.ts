import { expect, test } from "bun:test";
import { DEFAULT_QUERY } from "../../web/src/state/order-query";
import { formatViewState, parseViewState, type ViewState } from "../../web/src/state/url-state";

test("view state round-trips through the query string", () => {
  const view: ViewState = {
    query: { status: "SHIPPED", q: "alice", fromDay: "2026-01-01", toDay: "2026-01-31", sort: "totalCents", dir: "asc" },
    orderId: "0198a000-0000-7000-8000-000000000001",
    page: "orders",
  };
  expect(parseViewState(formatViewState(view))).toEqual(view);
  expect(parseViewState("?page=products")).toEqual({ query: DEFAULT_QUERY, orderId: null, page: "products" });
  expect(formatViewState({ query: { ...DEFAULT_QUERY, q: "  " }, orderId: null, page: "orders" })).toBe("");
});

test("unknown statuses and sorts, odd ids and dates are ignored", () => {
  expect(parseViewState("?status=LOST&order=../../etc&q=bob&sort=price&dir=sideways&from=yesterday&to=2026-02-30x")).toEqual({
    query: { ...DEFAULT_QUERY, q: "bob" },
    orderId: null,
    page: "orders",
  });
});
