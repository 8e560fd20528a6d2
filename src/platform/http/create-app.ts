import { Elysia, t, type AnyElysia } from "elysia";
import { AppError } from "../errors";
import type { Logger } from "../logger";
import { writesOnDisk } from "../db/group-commit";
import { METRICS_CONTENT_TYPE, metricsText } from "../observability/metrics-endpoint";
import { allowedMethods } from "./allowed-methods";
import "./decimal-integers"; // query and path integers: decimal text only
import { apiReference } from "./api-reference";
import { errorHandler } from "./error-handler";
import { healthRoutes } from "./health-routes";
import { jsonBodyParser } from "./json-body";
import { lastResortErrorResponse } from "./last-resort";
import { openApiDocument } from "./openapi-document";
import { requestContext } from "./request-context";
import type { RequestLogSampling } from "./request-log-sampling";
import { routeDoc } from "./route-docs";
import type { UpstreamHealth } from "./upstream-health";
import { requestTargetProblem } from "./request-target";
import { SECURITY_HEADERS } from "./security-headers";

export interface HttpAppOptions {
  title: string;
  log: Logger;
  maxBodyBytes: number;
  readiness: Array<{ name: string; ready(): boolean | Promise<boolean> }>;
  /** The services this process forwards to (the gateway): part of its readiness. */
  upstreams?: () => Promise<Record<string, UpstreamHealth>>;
  /**
   * Where this process's own OpenAPI document is served (default /openapi/json). The gateway moves
   * its own elsewhere and serves the whole shop's document, merged from the services, at /openapi/json.
   */
  ownDocumentPath?: string;
  /** When set, /metrics is served on this port alone (by serveUntilSignalled), not on the public one. */
  metricsPort?: number;
  /** Split mode: this process's API routes answer 503 when a service they need is down (documented so). */
  dependenciesMayBeDown?: boolean;
  /** Which requests get an info line (LOG_REQUEST_SAMPLE, LOG_SLOW_MS). */
  requestLog?: RequestLogSampling;
  /** Paths whose bodies this process forwards unread (the gateway's proxied prefixes; json-body.ts). */
  forwardsBodiesUnder?: readonly string[];
}

/**
 * The shared HTTP shell of every process: request ids and logs, error mapping, the request-target
 * check, a body size limit and the one JSON body parser, security headers, health routes, metrics
 * (unless they have their own port) and the OpenAPI document (JSON at /openapi/json, UI at /openapi).
 */
export function createHttpApp(opts: HttpAppOptions) {
  // normalize: false makes unknown body fields a 422 instead of silently dropping them.
  // standardHostname: false: Elysia otherwise skips 11 characters of the URL to find the path, and
  // routes a request whose Host is shorter than "a.bc" by the wrong path.
  // Bun.serve's own limit (an empty 413, before any of our code) sits at twice ours, so a body over
  // our limit usually gets the named error below, and nothing unbounded is ever read.
  // error: what Bun answers when an error escapes Elysia (its own default would be an HTML page with
  // the source in development): a 500 in the shop's shape, and the process keeps serving.
  const app = new Elysia({
    normalize: false,
    handler: { standardHostname: false },
    serve: { maxRequestBodySize: 2 * opts.maxBodyBytes, error: (error) => lastResortErrorResponse(opts.log, error) },
  })
    .headers(SECURITY_HEADERS)
    .use(requestContext(opts.log, opts.requestLog))
    // 405 and Allow from every route this app ends up with (modules are mounted after this).
    .use(errorHandler(opts.log, allowedMethods((): readonly { method: string; path: string }[] => app.routes)))
    // Group commit: nothing leaves the process before the writes it reflects have committed.
    .onAfterHandle({ as: "global" }, async () => {
      await writesOnDisk();
    })
    .onRequest(({ request }) => {
      // Before routing: a request without a usable Host, or with a path or query that does not
      // decode, is a 400 (Elysia's router and every hook below read the URL).
      const problem = requestTargetProblem(request.url);
      if (problem) throw problem;
      // Refuse oversize bodies before reading them (a chunked body, without a length, is bounded by Bun.serve at twice the limit).
      const length = Number(request.headers.get("content-length") ?? 0);
      if (length > opts.maxBodyBytes) {
        throw new AppError(413, "PAYLOAD_TOO_LARGE", `Request body is ${length} bytes; the limit is ${opts.maxBodyBytes}`);
      }
    })
    // Every body of every route goes through the one JSON parser (depth-bounded before JSON.parse).
    .onParse({ as: "global" }, jsonBodyParser(opts.maxBodyBytes, opts.forwardsBodiesUnder))
    // The gateway serves its own document elsewhere and the whole shop's, merged, at /openapi/json (which the page reads).
    .use(
      openApiDocument({
        title: opts.title,
        path: opts.ownDocumentPath ?? "/openapi/json",
        maxBodyBytes: opts.maxBodyBytes,
        dependenciesMayBeDown: opts.dependenciesMayBeDown ?? false,
      }),
    )
    .use(apiReference()) // the page at /openapi: its script is served from our own package, not a CDN
    .use(healthRoutes(opts.readiness, opts.upstreams));
  if (opts.metricsPort !== undefined) return app;
  return app.get(
    "/metrics",
    async ({ set }) => {
      set.headers["content-type"] = METRICS_CONTENT_TYPE;
      return metricsText();
    },
    { detail: routeDoc({ summary: "Prometheus metrics", tags: ["platform"], caller: "anyone", ok: { 200: { contentType: "text/plain", schema: t.String() } } }) },
  );
}

export type HttpApp = ReturnType<typeof createHttpApp>;
export type { AnyElysia };
