// The figures kept from live changes: each change counted once, on top of the snapshot that
// does not already include it, whichever arrived first.
import { describe, expect, test } from "bun:test";
import type { OrderSeries, OrderStats } from "../../src/modules/order/contract";
import {
  advanceSeries,
  applyToSeries,
  applyToStats,
  isCheckoutFailure,
  previousStatus,
  replayOnto,
  type LiveChange,
} from "../../web/src/state/order-figures";
import { moved, order } from "./fixtures";

const NOW = Date.UTC(2026, 0, 1, 12, 30);
const empty = (lastEventId: string | null = null): OrderStats => ({
  countsByStatus: { PENDING: 0, PAID: 0, SHIPPED: 0, DELIVERED: 0, CANCELLED: 0, PAYMENT_FAILED: 0 },
  totalOrders: 0,
  ordersLastHour: 0,
  revenueByCurrency: [],
  lastEventId,
});
const pending = (n: number, over = {}) => order(n, { status: "PENDING", createdAt: new Date(NOW - 60_000).toISOString(), ...over });

describe("applyToStats", () => {
  test("a new order counts once, a move shifts one count, revenue per currency follows paid orders", () => {
    const created = pending(1, { currency: "JPY", totalCents: 4500 });
    let s = applyToStats(empty(), created, NOW);
    expect(s.countsByStatus.PENDING).toBe(1);
    expect(s.totalOrders).toBe(1);
    expect(s.ordersLastHour).toBe(1);
    const paid = moved(created, "PAID");
    expect(previousStatus(paid)).toBe("PENDING");
    s = applyToStats(s, paid, NOW);
    expect(s.countsByStatus).toMatchObject({ PENDING: 0, PAID: 1 });
    expect(s.totalOrders).toBe(1);
    expect(s.revenueByCurrency).toEqual([{ currency: "JPY", paidOrders: 1, revenueCents: 4500, averageOrderValueCents: 4500 }]);
    const eur = moved(pending(2, { totalCents: 1000, currency: "EUR" }), "PAID");
    s = applyToStats(applyToStats(s, pending(2, { totalCents: 1000, currency: "EUR" }), NOW), eur, NOW);
    expect(s.revenueByCurrency.map((r) => r.currency)).toEqual(["EUR", "JPY"]); // never added together
    // Shipping keeps the revenue; cancelling a paid order gives it back.
    s = applyToStats(s, moved(paid, "SHIPPED"), NOW);
    expect(s.revenueByCurrency[1]!.revenueCents).toBe(4500);
    s = applyToStats(s, moved(eur, "CANCELLED"), NOW);
    expect(s.revenueByCurrency).toEqual([{ currency: "JPY", paidOrders: 1, revenueCents: 4500, averageOrderValueCents: 4500 }]);
    expect(s.countsByStatus).toMatchObject({ PAID: 0, SHIPPED: 1, CANCELLED: 1 });
  });

  test("an order created over an hour ago does not count in the last hour", () => {
    expect(applyToStats(empty(), pending(1, { createdAt: new Date(NOW - 3_700_000).toISOString() }), NOW).ordersLastHour).toBe(0);
  });

  test("a checkout failure is a straight move from PENDING to its end", () => {
    expect(isCheckoutFailure(moved(pending(1), "PAYMENT_FAILED"))).toBe(true);
    expect(isCheckoutFailure(moved(moved(pending(1), "PAID"), "CANCELLED"))).toBe(false);
  });
});

describe("replayOnto: a snapshot plus the changes it does not include", () => {
  const o = pending(1);
  const changes: LiveChange[] = [
    { eventId: "e1", order: o },
    { eventId: "e2", order: moved(o, "PAID") },
    { eventId: "e2", order: moved(o, "PAID") }, // a redelivery
  ];
  const apply = (s: OrderStats, x: typeof o) => applyToStats(s, x, NOW);

  test("a snapshot taken before both events gets both, once", () => {
    const { figures, counted } = replayOnto(empty(null), changes, apply);
    expect(figures.countsByStatus).toMatchObject({ PENDING: 0, PAID: 1 });
    expect(figures.totalOrders).toBe(1);
    expect(counted.size).toBe(2);
  });

  test("a snapshot that includes the first event gets only the second", () => {
    const snapshot = { ...applyToStats(empty(), o, NOW), lastEventId: "e1" };
    const { figures } = replayOnto(snapshot, changes, apply);
    expect(figures.totalOrders).toBe(1);
    expect(figures.countsByStatus).toMatchObject({ PENDING: 0, PAID: 1 });
  });

  test("a snapshot that includes both changes nothing", () => {
    const snapshot = { ...apply(apply(empty(), o), moved(o, "PAID")), lastEventId: "e2" };
    expect(replayOnto(snapshot, changes, apply).figures).toEqual(snapshot);
  });
});

describe("series", () => {
  const series = (): OrderSeries => ({
    range: "hour",
    from: new Date(NOW - 59 * 60_000).toISOString(),
    bucketSeconds: 60,
    buckets: 60,
    currencies: [],
    lastEventId: null,
  });

  test("a new order counts in the bucket of its creation, its payment adds revenue there", () => {
    const o = pending(1, { createdAt: new Date(NOW - 60_000).toISOString(), totalCents: 700 });
    const s = applyToSeries(applyToSeries(series(), o), moved(o, "PAID"));
    expect(s.currencies).toHaveLength(1);
    const c = s.currencies[0]!;
    expect(c.orders[58]).toBe(1);
    expect(c.revenueCents[58]).toBe(700);
    expect(c.orders.reduce((a, b) => a + b)).toBe(1);
  });

  test("an order past the window moves it forward; one before it is left out", () => {
    const later = pending(2, { createdAt: new Date(NOW + 2 * 60_000).toISOString() });
    const s = applyToSeries(series(), later);
    expect(Date.parse(s.from)).toBe(Date.parse(series().from) + 2 * 60_000);
    expect(s.currencies[0]!.orders[59]).toBe(1);
    const old = pending(3, { createdAt: new Date(NOW - 2 * 3600_000).toISOString() });
    expect(applyToSeries(series(), old).currencies).toEqual([]);
    expect(advanceSeries(series(), NOW)).toEqual(series());
    expect(Date.parse(advanceSeries(series(), NOW + 5 * 60_000).from)).toBe(Date.parse(series().from) + 5 * 60_000);
  });
});
