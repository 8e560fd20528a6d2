// The order repository's contract, the same on both engines: every method of OrderRepository and
// OrderStatistics against a real order database (SQLite file or PostgreSQL schema), its unique
// constraints giving the same domain outcome when writers race, keyset paging under every sort,
// unfinished() as recovery reads it, and the operators' figures.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Order, OrderStatus } from "../../src/modules/order";
import type { OrderRepository } from "../../src/modules/order/order-repository";
import { moveOrder } from "../../src/modules/order/order-status-machine";
import type { OrderListCursor } from "../../src/modules/order/viewing/order-list-cursor";
import { rangeWindow } from "../../src/modules/order/viewing/order-statistics";
import type { DomainEvent } from "../../src/platform/events/event";
import { newId, nowIso } from "../../src/platform/ids";
import type { ModuleDeps } from "../../src/platform/module";
import { engines } from "../support/engines";
import { moduleDepsOn } from "../support/module-harness";
import { anOrder, keyFor, orderDatabase } from "../support/order-database";
import { eventually } from "../support/sse";

type Database = Awaited<ReturnType<typeof orderDatabase>>;

/** An order database whose order events are recorded as the relay delivers them. */
async function recordedDatabase(deps: ModuleDeps): Promise<{ database: Database; events: DomainEvent[] }> {
  const events: DomainEvent[] = [];
  deps.bus.subscribe({ group: "contract", aggregateTypes: ["order"], handle: (event) => void events.push(event) });
  return { database: await orderDatabase(deps), events };
}

async function move(orders: OrderRepository, order: Order, path: OrderStatus[], reason?: string): Promise<Order> {
  let moved = order;
  for (const to of path) moved = await orders.update(order.id, (current) => moveOrder(current, to, reason));
  return moved;
}

const STATUS_RANK = ["PENDING", "PAID", "SHIPPED", "DELIVERED", "CANCELLED", "PAYMENT_FAILED"];
const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

for (const engine of engines()) {
  describe(`on ${engine.name}`, () => {
    describe("writes", () => {
      let database: Database;
      let orders: OrderRepository;
      let events: DomainEvent[];
      beforeAll(async () => {
        ({ database, events } = await recordedDatabase(await moduleDepsOn(engine, "order_contract_writes")));
        orders = database.orders;
      }, engine.setupTimeoutMs + 30_000);
      afterAll(() => database?.close());
      const eventsOf = (id: string) => events.filter((e) => e.aggregateId === id).map((e) => [e.type, (e.payload as { previousStatus: string | null }).previousStatus]);

      test("an order reads back exactly as placed (lines, history, instants to the millisecond); its standing and key too; unknown ids are undefined", async () => {
        const order = anOrder(`u-${newId()}`);
        expect(await orders.placePending(order, 1, keyFor(order, "k-1"))).toEqual({ placed: true });
        expect(await orders.get(order.id)).toEqual(order);
        expect(await orders.standing(order.id)).toEqual({ id: order.id, status: "PENDING", paymentId: null });
        expect(await orders.findKey(order.userId, "k-1")).toEqual(keyFor(order, "k-1"));
        expect(await orders.get("o-unknown")).toBeUndefined();
        expect(await orders.standing("o-unknown")).toBeUndefined();
        expect(await orders.findKey(order.userId, "k-unknown")).toBeUndefined();
        expect(await orders.findKey("u-other", "k-1")).toBeUndefined(); // keys are per customer
        await eventually(async () => expect(eventsOf(order.id)).toEqual([["order.created", null]]), 10_000);
      });

      test("10 placements at once with one Idempotency-Key: one order, the other nine told the key is taken, nothing else written", async () => {
        const userId = `u-${newId()}`;
        const candidates = Array.from({ length: 10 }, () => anOrder(userId));
        const results = await Promise.all(candidates.map((order, i) => orders.placePending(order, i + 1, keyFor(order, "same-key"))));
        expect(results.filter((r) => r.placed)).toHaveLength(1);
        expect(results.filter((r) => !r.placed)).toEqual(Array(9).fill({ placed: false, keyTaken: true }));
        const winner = candidates[results.findIndex((r) => r.placed)]!;
        expect((await orders.findKey(userId, "same-key"))?.orderId).toBe(winner.id);
        const stored = await Promise.all(candidates.map((o) => orders.get(o.id)));
        expect(stored.filter(Boolean).map((o) => o!.id)).toEqual([winner.id]);
      });

      test("8 placements at once of one cart revision with different keys: one order; the others name it and keep no key", async () => {
        const userId = `u-${newId()}`;
        const candidates = Array.from({ length: 8 }, () => anOrder(userId));
        const results = await Promise.all(candidates.map((order) => orders.placePending(order, 42, keyFor(order))));
        const winnerAt = results.findIndex((r) => r.placed);
        expect(results.filter((r) => r.placed)).toHaveLength(1);
        const winner = candidates[winnerAt]!;
        for (const [i, result] of results.entries()) {
          if (i === winnerAt) continue;
          expect(result).toEqual({ placed: false, heldBy: { id: winner.id, status: "PENDING", paymentId: null } });
          expect(await orders.findKey(userId, keyFor(candidates[i]!).key)).toBeUndefined();
          expect(await orders.get(candidates[i]!.id)).toBeUndefined();
        }
        await eventually(async () => expect(events.filter((e) => candidates.some((c) => c.id === e.aggregateId)).map((e) => e.aggregateId)).toEqual([winner.id]), 10_000);
      });

      test("update writes what the change makes of the fresh order and raises its status event; null writes nothing; a throwing change or a missing order writes nothing", async () => {
        const order = anOrder(`u-${newId()}`);
        await orders.placePending(order, 1, keyFor(order));
        expect(await orders.update(order.id, () => null)).toEqual(order);
        await expect(orders.update(order.id, (current) => moveOrder(current, "DELIVERED"))).rejects.toMatchObject({ status: 409, code: "ILLEGAL_TRANSITION" });
        expect(await orders.get(order.id)).toEqual(order);
        await expect(orders.update("o-missing", (current) => current)).rejects.toThrow(/o-missing/);

        const paid = await orders.update(order.id, (current) => ({ ...moveOrder(current, "PAID"), paymentId: "pay-1" }));
        expect(paid).toMatchObject({ status: "PAID", paymentId: "pay-1" });
        expect(await orders.get(order.id)).toEqual(paid);
        expect(await orders.standing(order.id)).toEqual({ id: order.id, status: "PAID", paymentId: "pay-1" });
        await move(orders, paid, ["SHIPPED", "DELIVERED"]);
        await eventually(
          async () =>
            expect(eventsOf(order.id)).toEqual([
              ["order.created", null],
              ["order.paid", "PENDING"],
              ["order.status_changed", "PAID"],
              ["order.status_changed", "SHIPPED"],
            ]),
          10_000,
        );
      });

      test("20 updates of one order at once each see the others' writes: none is lost", async () => {
        const order = anOrder(`u-${newId()}`);
        await orders.placePending(order, 1, keyFor(order));
        await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            orders.update(order.id, (current) => ({ ...current, history: [...current.history, { status: current.status, at: nowIso(), reason: `note ${i}` }] })),
          ),
        );
        const stored = (await orders.get(order.id))!;
        expect(stored.history).toHaveLength(21);
        expect(new Set(stored.history.slice(1).map((h) => h.reason))).toEqual(new Set(Array.from({ length: 20 }, (_, i) => `note ${i}`)));
      });

      test("markCancelRequested records the intent (recovery then finds the paid order) unless the check refuses, which writes nothing", async () => {
        const order = anOrder(`u-${newId()}`);
        await orders.placePending(order, 1, keyFor(order));
        const paid = await move(orders, order, ["PAID"]);
        const later = new Date(Date.now() + 60_000).toISOString();
        const unfinishedIds = async () => (await orders.unfinished(later, 1000)).map((o) => o.id);
        expect(await unfinishedIds()).not.toContain(order.id);

        const refusal = new Error("not cancellable");
        await expect(orders.markCancelRequested(order.id, () => { throw refusal; })).rejects.toBe(refusal);
        expect(await unfinishedIds()).not.toContain(order.id);

        let seen: Order | undefined;
        expect(await orders.markCancelRequested(order.id, (current) => void (seen = current))).toEqual(paid);
        expect(seen).toEqual(paid);
        expect(await orders.get(order.id)).toEqual(paid); // the intent is not part of the order's view
        expect(await unfinishedIds()).toContain(order.id);
        await move(orders, paid, ["CANCELLED"]);
        expect(await unfinishedIds()).not.toContain(order.id);
        await expect(orders.markCancelRequested("o-missing", () => {})).rejects.toThrow(/o-missing/);
      });

      test("updateUnlessCancelling moves an order by hand, but not once its cancellation began: 409, nothing written, and the cancellation still ends it", async () => {
        const order = anOrder(`u-${newId()}`);
        await orders.placePending(order, 1, keyFor(order));
        const paid = await move(orders, order, ["PAID"]);
        const shipped = await orders.updateUnlessCancelling(order.id, (current) => moveOrder(current, "SHIPPED"));
        expect(shipped.status).toBe("SHIPPED");

        const other = anOrder(`u-${newId()}`);
        await orders.placePending(other, 1, keyFor(other));
        const otherPaid = await move(orders, other, ["PAID"]);
        await orders.markCancelRequested(other.id, () => {});
        await expect(orders.updateUnlessCancelling(other.id, (current) => moveOrder(current, "SHIPPED"))).rejects.toMatchObject({ status: 409, code: "CANCELLATION_IN_PROGRESS" });
        expect(await orders.get(other.id)).toEqual(otherPaid);
        expect((await move(orders, otherPaid, ["CANCELLED"])).status).toBe("CANCELLED");
        expect(paid.status).toBe("PAID");
      });

      test("writesOnDisk resolves once what was written is durable", async () => {
        const order = anOrder(`u-${newId()}`);
        await orders.placePending(order, 1, keyFor(order));
        await orders.writesOnDisk();
        expect(await orders.get(order.id)).toEqual(order);
      });
    });

    describe("reads over a known set of orders", () => {
      let database: Database;
      let orders: OrderRepository;
      let events: DomainEvent[];
      const NOW = Date.now();
      const users = [
        { id: `u-alice-${newId()}`, username: "alice" },
        { id: `u-bob-${newId()}`, username: "Bob" },
        { id: `u-carol-${newId()}`, username: "c_arol" },
      ];
      // Twelve orders, 10 minutes apart up to 5 minutes ago; ids in creation order (as the checkout's UUIDv7s).
      const paths: Array<[OrderStatus[], string?]> = [
        [["PAID"]], [["PAID"]], [["PAID"]], [["PAID"]], [["PAID"]], [["PAID", "SHIPPED"]], [["PAID", "SHIPPED", "DELIVERED"]],
        [["CANCELLED"], "Out of stock: Kettle"], [["PAYMENT_FAILED"], "Card declined"], [["PAID", "CANCELLED"], "Cancelled by the customer"], [[]], [[]],
      ];
      let placed: Order[] = [];
      beforeAll(async () => {
        ({ database, events } = await recordedDatabase(await moduleDepsOn(engine, "order_contract_reads")));
        orders = database.orders;
        placed = [];
        for (const [i, [path, reason]] of paths.entries()) {
          const at = new Date(NOW - (115 - i * 10) * 60_000).toISOString();
          const user = users[i % 3]!;
          const base = anOrder(user.id);
          const totalCents = 100 * ((i % 4) + 1);
          const order: Order = {
            ...base, id: newId(), username: user.username, currency: i % 3 === 2 ? "USD" : "EUR", totalCents,
            items: [{ ...base.items[0]!, unitPriceCents: totalCents, lineTotalCents: totalCents }], history: [{ status: "PENDING", at }], createdAt: at, updatedAt: at,
          };
          expect(await orders.placePending(order, i + 1, keyFor(order))).toEqual({ placed: true });
          placed.push(await move(orders, order, path, reason));
        }
        await orders.markCancelRequested(placed[4]!.id, () => {});
      }, engine.setupTimeoutMs + 60_000);
      afterAll(() => database?.close());

      const ids = (list: Order[]) => list.map((o) => o.id);
      const all = () => [...placed];

      test("filters: customer, status, placed from/to, and text in the id or username (case-insensitive, wildcards literal)", async () => {
        const list = (q: Partial<Parameters<OrderRepository["list"]>[0]>) => orders.list({ limit: 100, ...q }).then((page) => ids(page.items).sort());
        expect(await list({ userId: users[0]!.id })).toEqual(ids(all().filter((o) => o.userId === users[0]!.id)).sort());
        expect(await list({ status: "PAID" })).toEqual(ids(all().filter((o) => o.status === "PAID")).sort());
        expect(await list({ status: "PAID", userId: users[1]!.id })).toEqual(ids(all().filter((o) => o.status === "PAID" && o.userId === users[1]!.id)).sort());
        const from = new Date(NOW - 60 * 60_000).toISOString();
        const to = new Date(NOW - 20 * 60_000).toISOString();
        expect(await list({ from, to })).toEqual(ids(placed.slice(6, 10)).sort());
        expect(await list({ q: "bOB" })).toEqual(ids(all().filter((o) => o.username === "Bob")).sort());
        expect(await list({ q: "_" })).toEqual(ids(all().filter((o) => o.username === "c_arol")).sort());
        expect(await list({ q: "%" })).toEqual([]);
        expect(await list({ q: placed[3]!.id.slice(-12).toUpperCase() })).toEqual([placed[3]!.id]);
      });

      test("keyset paging under every sort and direction: pages of 5 join into the whole list in order, nothing skipped or repeated", async () => {
        const expected: Record<string, (a: Order, b: Order) => number> = {
          createdAt: (a, b) => byCodeUnits(a.id, b.id),
          totalCents: (a, b) => byCodeUnits(a.currency, b.currency) || a.totalCents - b.totalCents,
          status: (a, b) => STATUS_RANK.indexOf(a.status) - STATUS_RANK.indexOf(b.status),
        };
        for (const sort of ["createdAt", "totalCents", "status"] as const) {
          for (const dir of ["asc", "desc"] as const) {
            const sign = dir === "asc" ? 1 : -1;
            const want = all().sort((a, b) => {
              if (sort === "totalCents") return byCodeUnits(a.currency, b.currency) || sign * (a.totalCents - b.totalCents) || byCodeUnits(b.id, a.id);
              return sign * expected[sort]!(a, b) || byCodeUnits(b.id, a.id); // ties: newest first
            });
            const got: Order[] = [];
            let after: OrderListCursor | undefined;
            for (let page = 0; page < 5; page++) {
              const { items, hasMore } = await orders.list({ limit: 5, sort, dir, after });
              got.push(...items);
              if (!hasMore) break;
              const last = items.at(-1)!;
              after = { sort, dir, id: last.id, currency: last.currency, totalCents: last.totalCents, status: last.status };
            }
            expect({ sort, dir, ids: ids(got) }).toEqual({ sort, dir, ids: ids(want) });
          }
        }
        const first = await orders.list({ limit: 12 });
        expect(first.hasMore).toBe(false);
        expect((await orders.list({ limit: 11 })).hasMore).toBe(true);
        expect(first.items.find((o) => o.id === placed[7]!.id)).toEqual(placed[7]!); // rows are whole orders
      });

      test("unfinished: PENDING orders last touched before the instant, and PAID ones with a cancellation under way, by id, bounded", async () => {
        const pendingOld = placed[10]!; // touched 15 minutes ago
        const pendingNew = placed[11]!; // 5 minutes ago
        const cancelling = placed[4]!;
        expect(ids(await orders.unfinished(new Date(NOW - 10 * 60_000).toISOString(), 10))).toEqual([pendingOld.id]);
        const later = new Date(NOW + 60_000 * 60).toISOString();
        expect(ids(await orders.unfinished(later, 10))).toEqual([cancelling.id, pendingOld.id, pendingNew.id]);
        expect(ids(await orders.unfinished(later, 2))).toEqual([cancelling.id, pendingOld.id]);
        expect(await orders.unfinished(later, 10).then((list) => list[1])).toEqual(pendingOld);
      });

      test("summary: counts by status, orders of the last hour, revenue per currency (paid, shipped, delivered) and the newest order event", async () => {
        const stats = await database.statistics.summary(NOW);
        expect(stats).toMatchObject({
          countsByStatus: { PENDING: 2, PAID: 5, SHIPPED: 1, DELIVERED: 1, CANCELLED: 2, PAYMENT_FAILED: 1 },
          totalOrders: 12,
          ordersLastHour: 6,
          revenueByCurrency: [
            { currency: "EUR", paidOrders: 5, revenueCents: 1100, averageOrderValueCents: 220 },
            { currency: "USD", paidOrders: 2, revenueCents: 500, averageOrderValueCents: 250 },
          ],
        });
        // The newest order event written is the one the relay delivered last.
        await eventually(async () => expect(stats.lastEventId).toBe(events.at(-1)?.id ?? "none"), 10_000);
      });

      test("series and failures over a range: orders and paid amounts per bucket and currency; checkout failures by category", async () => {
        const w = rangeWindow("day", NOW);
        const expectedSeries = (currency: string) => {
          const series = { currency, orders: Array(w.buckets).fill(0), revenueCents: Array(w.buckets).fill(0) };
          for (const o of placed.filter((p) => p.currency === currency)) {
            const bucket = Math.floor((Math.floor(Date.parse(o.createdAt) / 1000) - w.from / 1000) / w.bucketSeconds);
            series.orders[bucket]++;
            if (["PAID", "SHIPPED", "DELIVERED"].includes(o.status)) series.revenueCents[bucket] += o.totalCents;
          }
          return series;
        };
        const series = await database.statistics.series("day", NOW);
        expect(series).toMatchObject({ range: "day", from: new Date(w.from).toISOString(), bucketSeconds: 1800, buckets: 48, currencies: [expectedSeries("EUR"), expectedSeries("USD")] });
        expect(series.lastEventId).toBeString();
        // A paid order cancelled later is not a checkout failure.
        expect(await database.statistics.failures("day", NOW)).toEqual({
          range: "day",
          from: new Date(w.from).toISOString(),
          total: 2,
          reasons: [
            { reason: "card_declined", count: 1 },
            { reason: "out_of_stock", count: 1 },
          ],
        });
      });
    });
  });
}
