import { context, isSpanContextValid, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, TraceFlags, type Context, type Span, type SpanContext } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import type { AsyncLocalStorage } from "node:async_hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { pathOf } from "../http/request-target";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { AlwaysOffSampler, AlwaysOnSampler, BatchSpanProcessor, ParentBasedSampler, TracerProvider } from "@opentelemetry/sdk-trace";

/**
 * W3C trace context through every hop (HTTP in, HTTP out, outbox, Kafka), with OpenTelemetry
 * spans; exported over OTLP/HTTP only when OTEL_EXPORTER_OTLP_ENDPOINT is set. Without an
 * endpoint spans still exist, so ids propagate and appear in logs.
 */
let provider: TracerProvider | undefined;

/** OpenTelemetry's AsyncLocalStorage context manager, plus entering a context for the rest of a request. */
class EnterableContextManager extends AsyncLocalStorageContextManager {
  enter(ctx: Context): void {
    (this as unknown as { _asyncLocalStorage: AsyncLocalStorage<Context> })._asyncLocalStorage.enterWith(ctx);
  }
}
let contextManager: EnterableContextManager | undefined;
/** Spans are recorded (and exported) only when an endpoint is configured. */
let recording = false;

export function initTracing(serviceName: string, env: Record<string, string | undefined> = process.env): void {
  if (provider) return;
  contextManager = new EnterableContextManager();
  context.setGlobalContextManager(contextManager.enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  const endpoint = env.OTEL_EXPORTER_OTLP_ENDPOINT?.replace(/\/+$/, "");
  recording = !!endpoint;
  provider = new TracerProvider({
    // Without an exporter nothing is recorded: ids still flow (logs, headers, events), at no cost.
    sampler: endpoint ? new ParentBasedSampler({ root: new AlwaysOnSampler() }) : new AlwaysOffSampler(),
    resource: resourceFromAttributes({ "service.name": `shop-${serviceName}` }),
    spanProcessors: endpoint
      ? [
          new BatchSpanProcessor({
            exporter: new OTLPTraceExporter({ url: `${endpoint}/v1/traces` }),
            scheduledDelayMillis: Number(env.OTEL_BSP_SCHEDULE_DELAY) || 1000,
          }),
        ]
      : [],
  });
  trace.setGlobalTracerProvider(provider);
}

export async function shutdownTracing(): Promise<void> {
  await provider?.shutdown().catch(() => undefined);
}

const tracer = () => trace.getTracer("bun-shop");

/** Collapses ids in a path so span names stay few: /api/orders/0190.../cancel -> /api/orders/:id/cancel. */
export const routeOf = (path: string) => path.replace(/\/[0-9a-f]{8}-[0-9a-f-]{27,}(?=\/|$)/gi, "/:id");

/**
 * Starts the server span of an incoming request and makes it the active context for the rest of
 * the request (AsyncLocalStorage.enterWith, from the first request hook): no wrapper around the
 * server's fetch is needed. Returns the span, to end with `endRequestSpan`.
 */
export function beginRequestSpan(request: Request): Span {
  const traceparent = request.headers.get("traceparent");
  const parent = traceparent ? propagation.extract(ROOT_CONTEXT, { traceparent }) : ROOT_CONTEXT;
  const span = recording ? startRecordedSpan(request, parent) : unrecordedSpan(parent);
  contextManager?.enter(trace.setSpan(parent, span));
  return span;
}

function startRecordedSpan(request: Request, parent: Context): Span {
  const path = pathOf(request.url);
  return tracer().startSpan(
    `${request.method} ${routeOf(path)}`,
    { kind: SpanKind.SERVER, attributes: { "http.request.method": request.method, "url.path": path } },
    parent,
  );
}

/**
 * What the SDK's always-off sampler would make (the parent's trace id or a new one, a new span
 * id, flags 00), without the SDK: its sampling and id generation were ~1 µs of a ~16 µs read.
 */
function unrecordedSpan(parent: Context): Span {
  const from = trace.getSpanContext(parent);
  return trace.wrapSpanContext({
    traceId: from?.traceId ?? randomHex(16),
    spanId: randomHex(8),
    traceFlags: TraceFlags.NONE,
    ...(from?.traceState ? { traceState: from.traceState } : {}),
  });
}

// Random bytes drawn in blocks: one getRandomValues call serves many ids.
const pool = new Uint8Array(4096);
let poolAt = pool.length;
function randomHex(bytes: number): string {
  if (poolAt + bytes > pool.length) {
    crypto.getRandomValues(pool);
    poolAt = 0;
  }
  const hex = Buffer.from(pool.buffer, poolAt, bytes).toString("hex");
  poolAt += bytes;
  return /^0+$/.test(hex) ? randomHex(bytes) : hex; // all zeros is the invalid id
}

export function endRequestSpan(span: Span, status: number): void {
  if (span.isRecording()) {
    span.setAttribute("http.response.status_code", status);
    if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
  }
  span.end();
}

/** The traceparent header a response carries back to its caller. */
export function traceparentOf(span: Span): string {
  return formatTraceparent(span.spanContext());
}

const formatTraceparent = ({ traceId, spanId, traceFlags }: SpanContext) => `00-${traceId}-${spanId}-${(traceFlags & 0xff).toString(16).padStart(2, "0")}`;

/** Runs an outgoing call in a client span and returns the headers that carry it. */
export function traceCall<T>(name: string, call: (headers: Record<string, string>) => Promise<T>): Promise<T> {
  return tracer().startActiveSpan(name, { kind: SpanKind.CLIENT }, async (span) => {
    try {
      return await call(injectHeaders());
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      throw error;
    } finally {
      span.end();
    }
  });
}

/** Runs an event handler in a consumer span, child of the request that wrote the event. */
export function traceEvent<T>(name: string, traceparent: string | undefined, handle: () => T | Promise<T>): Promise<T> {
  const parent = parentContext(traceparent);
  // Unrecorded: the handler still runs in the event's trace (its logs and events carry it).
  if (!recording) return context.with(trace.setSpan(parent, unrecordedSpan(parent)), async () => await handle());
  return tracer().startActiveSpan(name, { kind: SpanKind.CONSUMER }, parent, async (span) => {
    try {
      return await handle();
    } finally {
      span.end();
    }
  });
}

// The events of one request arrive together and share its traceparent: parse it once. (Contexts
// are immutable, so the parsed one can be handed out again.)
let lastTraceparent: string | undefined;
let lastParent: Context = ROOT_CONTEXT;
function parentContext(traceparent: string | undefined): Context {
  if (traceparent !== lastTraceparent) {
    lastParent = traceparent ? propagation.extract(ROOT_CONTEXT, { traceparent }) : ROOT_CONTEXT;
    lastTraceparent = traceparent;
  }
  return lastParent;
}

export function injectHeaders(ctx: Context = context.active()): Record<string, string> {
  const headers: Record<string, string> = {};
  propagation.inject(ctx, headers);
  return headers;
}

// Formatted once per span: a checkout stores the same traceparent with each of its events.
const formatted = new WeakMap<SpanContext, string | undefined>();

/** The current traceparent, stored with outbox events so consumers continue the trace. */
export const currentTraceparent = (): string | undefined => {
  const active = trace.getSpanContext(context.active());
  if (!active) return undefined;
  if (formatted.has(active)) return formatted.get(active);
  const header = isSpanContextValid(active) ? formatTraceparent(active) : undefined;
  formatted.set(active, header);
  return header;
};

export const currentTraceId = (): string | undefined => trace.getActiveSpan()?.spanContext().traceId;

