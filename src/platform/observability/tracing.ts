import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Context, type Span } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { AlwaysOffSampler, AlwaysOnSampler, BatchSpanProcessor, ParentBasedSampler, TracerProvider } from "@opentelemetry/sdk-trace";

/**
 * W3C trace context through every hop (HTTP in, HTTP out, outbox, Kafka), with OpenTelemetry
 * spans; exported over OTLP/HTTP only when OTEL_EXPORTER_OTLP_ENDPOINT is set. Without an
 * endpoint spans still exist, so ids propagate and appear in logs.
 */
let provider: TracerProvider | undefined;
/** Spans are recorded (and exported) only when an endpoint is configured. */
let recording = false;

export function initTracing(serviceName: string, env: Record<string, string | undefined> = process.env): void {
  if (provider) return;
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
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

/** Runs an incoming HTTP request inside a server span that continues the caller's trace. */
export function traceRequest(request: Request, handle: () => Response | Promise<Response>): Promise<Response> {
  const traceparent = request.headers.get("traceparent");
  const parent = traceparent ? propagation.extract(ROOT_CONTEXT, { traceparent }) : ROOT_CONTEXT;
  // Names and attributes cost a URL parse: only worth it for spans that are recorded.
  const path = recording ? new URL(request.url).pathname : "";
  return tracer().startActiveSpan(
    recording ? `${request.method} ${routeOf(path)}` : request.method,
    { kind: SpanKind.SERVER, attributes: recording ? { "http.request.method": request.method, "url.path": path } : {} },
    parent,
    async (span) => {
      try {
        const response = await handle();
        if (span.isRecording()) {
          span.setAttribute("http.response.status_code", response.status);
          if (response.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
        }
        response.headers.set("traceparent", traceparentOf(span));
        return response;
      } catch (error) {
        span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
        throw error;
      } finally {
        span.end();
      }
    },
  );
}

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
  const parent = traceparent ? propagation.extract(ROOT_CONTEXT, { traceparent }) : ROOT_CONTEXT;
  return tracer().startActiveSpan(name, { kind: SpanKind.CONSUMER }, parent, async (span) => {
    try {
      return await handle();
    } finally {
      span.end();
    }
  });
}

export function injectHeaders(ctx: Context = context.active()): Record<string, string> {
  const headers: Record<string, string> = {};
  propagation.inject(ctx, headers);
  return headers;
}

/** The current traceparent, stored with outbox events so consumers continue the trace. */
export const currentTraceparent = (): string | undefined => injectHeaders().traceparent;

export const currentTraceId = (): string | undefined => trace.getActiveSpan()?.spanContext().traceId;

function traceparentOf(span: Span): string {
  const { traceId, spanId, traceFlags } = span.spanContext();
  return `00-${traceId}-${spanId}-0${traceFlags.toString(16)}`;
}
