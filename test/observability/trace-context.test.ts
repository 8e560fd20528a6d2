// Without an OTLP endpoint nothing is recorded, but trace context must still flow: a request that
// arrives with a traceparent continues that trace in what it writes (outbox events, logs, calls),
// and one that arrives without gets fresh, valid ids.
import { expect, test } from "bun:test";
import { beginRequestSpan, currentTraceId, currentTraceparent, endRequestSpan, initTracing, traceEvent } from "../../src/platform/observability/tracing";

initTracing("trace-context-test", {}); // no endpoint: the unrecorded path

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-0[01]$/;

test("an incoming traceparent is continued: same trace id, a new span id, not recorded", async () => {
  const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
  const span = beginRequestSpan(new Request("http://127.0.0.1/x", { headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` } }));
  await Bun.sleep(1); // the context survives an await, as it must for handlers
  expect(span.isRecording()).toBe(false);
  expect(currentTraceId()).toBe(traceId);
  const [, tid, spanId] = TRACEPARENT.exec(currentTraceparent() ?? "") ?? [];
  expect(tid).toBe(traceId);
  expect(spanId).not.toBe("00f067aa0ba902b7");
  endRequestSpan(span, 200);
});

test("without a traceparent each request starts its own valid trace", () => {
  const ids = new Set<string>();
  for (let i = 0; i < 200; i++) {
    const span = beginRequestSpan(new Request("http://127.0.0.1/x"));
    const { traceId, spanId } = span.spanContext();
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(traceId).not.toMatch(/^0+$/);
    ids.add(traceId);
    endRequestSpan(span, 200);
  }
  expect(ids.size).toBe(200);
});

test("a malformed traceparent is ignored rather than continued", () => {
  const span = beginRequestSpan(new Request("http://127.0.0.1/x", { headers: { traceparent: "00-zz-not-a-trace" } }));
  expect(span.spanContext().traceId).toMatch(/^[0-9a-f]{32}$/);
  expect(span.spanContext().traceId).not.toContain("z");
  endRequestSpan(span, 200);
});

test("an event handler runs in the trace of the request that wrote the event, across its awaits", async () => {
  const traceId = "0af7651916cd43dd8448eb211c80319c";
  const seen = await traceEvent("consume test", `00-${traceId}-b7ad6b7169203331-01`, async () => {
    await Bun.sleep(1);
    return { traceId: currentTraceId(), traceparent: currentTraceparent() };
  });
  expect(seen.traceId).toBe(traceId);
  expect(seen.traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-00$`));
  expect(await traceEvent("consume test", undefined, () => currentTraceId())).toMatch(/^[0-9a-f]{32}$/);
});
