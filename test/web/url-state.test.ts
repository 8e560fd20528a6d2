import { expect, test } from "bun:test";
import { formatViewState, parseViewState } from "../../web/src/state/url-state";

test("view state round-trips through the query string", () => {
  const view = { filter: { status: "SHIPPED" as const, q: "alice" }, orderId: "0198a000-0000-7000-8000-000000000001" };
  expect(parseViewState(formatViewState(view))).toEqual(view);
  expect(formatViewState({ filter: { status: null, q: "  " }, orderId: null })).toBe("");
});

test("unknown statuses and odd ids are ignored", () => {
  expect(parseViewState("?status=LOST&order=../../etc&q=bob")).toEqual({ filter: { status: null, q: "bob" }, orderId: null });
});
