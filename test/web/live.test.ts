import { describe, expect, test } from "bun:test";
import { backoffDelay, connectLive, dispatchMessage, type LiveHandlers } from "../../web/src/api/live";
import { order } from "./fixtures";

/** A scriptable stand-in for the browser's EventSource. */
class FakeEventSource {
  static all: FakeEventSource[] = [];
  onopen: (() => void) | null = null;
  onerror: (() => void) | null = null;
  closed = false;
  listeners = new Map<string, Set<(e: Event) => void>>();
  constructor(readonly url: string) {
    FakeEventSource.all.push(this);
  }
  addEventListener(type: string, fn: (e: Event) => void) {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type)!.add(fn);
  }
  removeEventListener(type: string, fn: (e: Event) => void) {
    this.listeners.get(type)?.delete(fn);
  }
  close() {
    this.closed = true;
  }
  emit(type: string, data: string, lastEventId = "") {
    for (const fn of this.listeners.get(type) ?? []) fn({ data, lastEventId } as MessageEvent as Event);
  }
}

function recorder() {
  const seen: string[] = [];
  const handlers: LiveHandlers = {
    onOrder: (type, o, eventId) => seen.push(`${type}:${o.id}:${o.status}:${eventId}`),
  };
  return { seen, handlers };
}


describe("backoffDelay", () => {
  test("grows exponentially with jitter and is capped", () => {
    const lo = () => 0;
    const hi = () => 0.999999;
    expect(backoffDelay(1, 500, 15_000, lo)).toBe(250);
    expect(backoffDelay(1, 500, 15_000, hi)).toBe(500);
    expect(backoffDelay(3, 500, 15_000, lo)).toBe(1000);
    expect(backoffDelay(3, 500, 15_000, hi)).toBe(2000);
    expect(backoffDelay(30, 500, 15_000, hi)).toBe(15_000);
    expect(backoffDelay(30, 500, 15_000, lo)).toBe(7_500);
  });
});

describe("dispatchMessage", () => {
  test("decodes order events with their id, ignores anything else", () => {
    const { seen, handlers } = recorder();
    const o = order(1);
    expect(dispatchMessage(JSON.stringify({ type: "order.paid", order: o }), "e-2", handlers)).toBe(true);
    expect(dispatchMessage(JSON.stringify({ order: o }), "", handlers)).toBe(true); // no type, no id
    expect(dispatchMessage("not json", "e-3", handlers)).toBe(false);
    expect(dispatchMessage(JSON.stringify({ type: "order.paid" }), "e-4", handlers)).toBe(false);
    // The server sends no statistics on the stream: such a message is not an order and is dropped.
    expect(dispatchMessage(JSON.stringify({ countsByStatus: { PAID: 1 }, totalOrders: 1 }), "e-5", handlers)).toBe(false);
    expect(seen).toEqual([`order.paid:${o.id}:PAID:e-2`, `order.updated:${o.id}:PAID:null`]);
  });
});

describe("connectLive", () => {
  test("connects, reports reconnects with backoff, and catches up on reopen", async () => {
    FakeEventSource.all = [];
    const { seen, handlers } = recorder();
    const opens: boolean[] = [];
    const errors: number[] = [];
    const live = connectLive({
      ...handlers,
      url: () => "/api/orders/stream?access_token=t",
      EventSourceImpl: FakeEventSource as unknown as typeof EventSource,
      baseDelayMs: 10,
      maxDelayMs: 40,
      random: () => 0,
      onOpen: ({ reconnected }) => opens.push(reconnected),
      onError: (n) => errors.push(n),
    });
    expect(live.status()).toBe("connecting");
    const first = FakeEventSource.all[0]!;
    expect(first.url).toBe("/api/orders/stream?access_token=t");
    first.onopen!();
    expect(live.status()).toBe("connected");
    first.emit("order", JSON.stringify({ type: "order.created", order: order(1, { status: "PENDING" }) }), "e-1");
    expect(seen).toEqual([`order.created:${order(1).id}:PENDING:e-1`]);

    // The server goes away: closed for good, reconnecting, a new source after the backoff.
    first.onerror!();
    expect(first.closed).toBe(true);
    expect(live.status()).toBe("reconnecting");
    expect(live.attempts()).toBe(1);
    // Events from the dropped source are no longer delivered.
    first.emit("order", JSON.stringify({ type: "order.paid", order: order(1) }));
    expect(seen).toHaveLength(1);
    await Bun.sleep(30);
    expect(FakeEventSource.all).toHaveLength(2);
    FakeEventSource.all[1]!.onerror!(); // still down
    expect(live.attempts()).toBe(2);
    await Bun.sleep(50);
    expect(FakeEventSource.all).toHaveLength(3);
    FakeEventSource.all[2]!.onopen!();
    expect(live.status()).toBe("connected");
    expect(live.attempts()).toBe(0);
    expect(opens).toEqual([false, true]);
    expect(errors).toEqual([1, 2]);

    live.close();
    expect(FakeEventSource.all[2]!.closed).toBe(true);
    expect(live.status()).toBe("closed");
  });

  test("retryNow skips the wait; close stops retrying", async () => {
    FakeEventSource.all = [];
    const live = connectLive({
      onOrder: () => undefined,
      url: () => "/s",
      EventSourceImpl: FakeEventSource as unknown as typeof EventSource,
      baseDelayMs: 10_000,
      random: () => 0,
    });
    FakeEventSource.all[0]!.onerror!();
    live.retryNow();
    expect(FakeEventSource.all).toHaveLength(2);
    FakeEventSource.all[1]!.onerror!();
    live.close();
    await Bun.sleep(20);
    expect(FakeEventSource.all).toHaveLength(2);
  });
});
