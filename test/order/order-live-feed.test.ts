// The live order feed on its own: what a connected dashboard receives from the bus, each change
// once (redeliveries skipped, the oldest remembered ids evicted past 10,000), and dashboards that
// go away dropped.
import { expect, test } from "bun:test";
import { ORDER_AGGREGATE, ORDER_EVENTS } from "../../src/modules/order";
import { OrderLiveFeed } from "../../src/modules/order/viewing/order-live-feed";
import type { DomainEvent } from "../../src/platform/events/event";

const event = (id: string): DomainEvent => ({
  id,
  type: ORDER_EVENTS.created,
  aggregateType: ORDER_AGGREGATE,
  aggregateId: `order-${id}`,
  occurredAt: new Date().toISOString(),
  payload: { previousStatus: null, order: { id: `order-${id}`, status: "PENDING" } },
});

/** Every message the stream delivered until it ended (each enqueue is one whole message). */
async function receiveAll(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<string[]> {
  const decoder = new TextDecoder();
  const messages: string[] = [];
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return messages;
    const text = decoder.decode(value);
    if (text.startsWith("id: ")) messages.push(text);
  }
}
const idOf = (message: string) => /^id: (.+)$/m.exec(message)![1];

test("a dashboard receives each order change once; ids are remembered for the last 10,000 events", async () => {
  const feed = new OrderLiveFeed();
  const sub = feed.subscription("test-live");
  sub.handle(event("before")); // nobody connected: nothing to deliver, still remembered
  const reader = feed.connect().body!.getReader();
  expect(feed.connections).toBe(1);

  sub.handle(event("before")); // a redelivery
  sub.handle(event("a"));
  sub.handle(event("a"));
  for (let i = 0; i < 10_000; i++) sub.handle(event(`n${i}`)); // pushes "before" and "a" out of memory
  sub.handle(event("a")); // so it shows again (evicting n0, the oldest left)
  sub.handle(event("n1")); // the oldest still remembered
  sub.handle(event("n9999"));
  feed.close(); // ends the stream
  const messages = await receiveAll(reader);
  const ids = messages.map(idOf);
  expect(ids.length).toBe(10_002);
  expect(ids.slice(0, 2)).toEqual(["a", "n0"]);
  expect(ids.slice(-2)).toEqual(["n9999", "a"]);
  expect(ids.filter((id) => id === "n1")).toEqual(["n1"]);
  expect(messages[0]).toContain("event: order");
  expect(JSON.parse(messages[0]!.split("data: ")[1]!)).toEqual({ type: ORDER_EVENTS.created, order: { id: "order-a", status: "PENDING" } });
  expect(feed.connections).toBe(0);
});

test("a dashboard that goes away is dropped", () => {
  const feed = new OrderLiveFeed();
  const controller = new AbortController();
  feed.connect(controller.signal);
  expect(feed.connections).toBe(1);
  controller.abort();
  expect(feed.connections).toBe(0);
  feed.close();
});

test("a dashboard whose session ended is dropped at the next check; one whose check fails is kept for the next", async () => {
  const feed = new OrderLiveFeed({ recheckMs: 20 });
  let live = true;
  let failing = false;
  const revoked = feed.connect(undefined, async () => live);
  const unsure = feed.connect(undefined, async () => {
    if (failing) throw new Error("identity owner unreachable");
    return true;
  });
  await Bun.sleep(80);
  expect(feed.connections).toBe(2);
  failing = true;
  live = false;
  await Bun.sleep(80);
  expect(feed.connections).toBe(1); // the signed-out one
  const reader = revoked.body!.getReader();
  await reader.read(); // ": connected"
  expect((await reader.read()).done).toBe(true); // its stream ended
  expect(unsure.body).not.toBeNull();
  feed.close();
});
