import { Elysia } from "elysia";
import type { Logger } from "../logger";
import type { Span } from "@opentelemetry/api";
import { recordRequest } from "../observability/http-metrics";
import { beginRequestSpan, endRequestSpan, traceparentOf } from "../observability/tracing";
import { pathOf } from "./request-target";
import { DEFAULT_REQUEST_LOG_SAMPLING, requestLogSampler, type RequestLogSampling } from "./request-log-sampling";

const SAFE_ID = /^[\w.:-]{1,128}$/;

/**
 * Gives each request an id (kept from `x-request-id` when a caller sends a sane one), echoes it
 * in the response, and logs a structured line with its duration for every failed or slow request
 * and a sample of the rest (request-log-sampling.ts).
 */
export const requestContext = (log: Logger, sampling: RequestLogSampling = DEFAULT_REQUEST_LOG_SAMPLING) => {
  const sampled = requestLogSampler(sampling);
  const requestLines = log.batched(); // a line per request (sampled): written with others, every 50 ms
  return new Elysia({ name: "platform.request-context" })
    .derive({ as: "global" }, ({ request, set }) => {
      const span = beginRequestSpan(request); // the request's trace context, active from here on
      // The trace id goes back to the caller only when the trace is recorded somewhere to look it
      // up; the logs carry it either way. (One header less was +5% reads/s.)
      if (span.isRecording()) set.headers.traceparent = traceparentOf(span);
      const incoming = request.headers.get("x-request-id");
      const requestId = incoming && SAFE_ID.test(incoming) ? incoming : crypto.randomUUID();
      set.headers["x-request-id"] = requestId;
      return { requestId, startedAt: performance.now(), span };
    })
    .onAfterResponse({ as: "global" }, (ctx) => {
      // Runs after the answer left, outside any request handler: an error here would end the
      // process, so it is logged instead.
      try {
        const { request, set } = ctx;
        const { requestId, startedAt, route, span } = ctx as unknown as { requestId?: string; startedAt?: number; route?: string; span?: Span };
        const status = typeof set.status === "number" ? set.status : 200;
        if (span) endRequestSpan(span, status);
        const seconds = startedAt ? (performance.now() - startedAt) / 1000 : 0;
        // The route pattern, not the path: one series per route, whatever the ids.
        recordRequest(request.method, route || "unmatched", status, seconds);
        if (log.enabled("info")) {
          const ms = Math.round(seconds * 100_000) / 100;
          const standsFor = sampled(status, ms);
          if (standsFor !== undefined) requestLines.info("request", { requestId, method: request.method, path: pathOf(request.url), status, ms, ...(standsFor > 1 ? { sampled: standsFor } : {}) });
        }
      } catch (error) {
        log.error("request bookkeeping failed after the response", { err: error });
      }
    });
};
