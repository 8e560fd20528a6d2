// kafkajs 2.2.4 armed a timer after every answered request even with nothing queued, with a negative
// delay while unthrottled: each broker connection then ran a 1 ms setTimeout loop for the rest of its
// life (kafkajs #1556). In the split shop that was most of an idle service's CPU and ~1,000 wake-ups a
// second per consuming process. patches/kafkajs@2.2.4.patch arms the timer only for a queued request;
// these tests pin both halves: no loop when idle, and queued requests still leave.
import { expect, test } from "bun:test";

/** What these tests use of kafkajs's internal RequestQueue (no type declarations ship for it). */
interface RequestQueueInternals {
  push(request: PushedRequest): void;
  fulfillRequest(response: { correlationId: number; payload: Buffer; size: number }): void;
  maybeThrottle(ms: number): void;
  checkPendingRequests(): void;
  throttleCheckTimeoutId: unknown;
  destroy(): void;
}
// The installed (patched) kafkajs's own module; its shape is pinned by the exact version in package.json.
const RequestQueue: new (options: object) => RequestQueueInternals = require("kafkajs/src/network/requestQueue/index.js");

const silent = { debug() {}, info() {}, warn() {}, error() {} };

function queue(maxInFlightRequests = 1) {
  return new RequestQueue({ maxInFlightRequests, requestTimeout: 30_000, enforceRequestTimeout: false, clientId: "t", broker: "127.0.0.1:1", logger: silent });
}

/** A request as the connection pushes it; `sent` counts the times it went out. */
interface PushedRequest {
  entry: { correlationId: number; apiName: string; apiKey: number; apiVersion: number; resolve(): void; reject(): void };
  expectResponse: boolean;
  sent: number;
  sendRequest(): void;
}

let correlation = 0;
function request(): PushedRequest {
  const entry = { correlationId: ++correlation, apiName: "Fetch", apiKey: 1, apiVersion: 11, resolve() {}, reject() {} };
  const pushed: PushedRequest = { entry, expectResponse: true, sent: 0, sendRequest: () => void pushed.sent++ };
  return pushed;
}

test("an answered request with nothing queued leaves no timer running", async () => {
  const q = queue();
  let checks = 0;
  const check = q.checkPendingRequests.bind(q);
  q.checkPendingRequests = () => {
    checks++;
    check();
  };
  try {
    const r = request();
    q.push(r);
    expect(r.sent).toBe(1);
    q.fulfillRequest({ correlationId: r.entry.correlationId, payload: Buffer.alloc(0), size: 0 });
    await Bun.sleep(200);
    // Unpatched: one check per millisecond (about 150-200 here). Patched: the one the answer made.
    expect(checks).toBe(1);
    expect(q.throttleCheckTimeoutId).toBeNull();
  } finally {
    q.destroy();
  }
});

test("a request queued behind the in-flight limit leaves when the one in flight is answered", () => {
  const q = queue(1);
  try {
    const first = request();
    const second = request();
    q.push(first);
    q.push(second);
    expect([first.sent, second.sent]).toEqual([1, 0]);
    q.fulfillRequest({ correlationId: first.entry.correlationId, payload: Buffer.alloc(0), size: 0 });
    expect(second.sent).toBe(1);
  } finally {
    q.destroy();
  }
});

test("a request queued while the broker throttles leaves once the throttle has passed", async () => {
  const q = queue(10);
  try {
    q.maybeThrottle(60);
    const r = request();
    q.push(r);
    expect(r.sent).toBe(0);
    const deadline = Date.now() + 5_000;
    while (r.sent === 0 && Date.now() < deadline) await Bun.sleep(10);
    expect(r.sent).toBe(1);
  } finally {
    q.destroy();
  }
});
