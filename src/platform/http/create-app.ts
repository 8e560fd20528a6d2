import { Elysia, type AnyElysia } from "elysia";
import { openapi } from "@elysiajs/openapi";
import { AppError } from "../errors";
import type { Logger } from "../logger";
import { durable } from "../db/transaction";
import { renderHttpMetrics } from "../observability/http-metrics";
import { registry } from "../observability/metrics";
import { errorHandler } from "./error-handler";
import { healthRoutes } from "./health-routes";
import { requestContext } from "./request-context";
import type { UpstreamHealth } from "./upstream-health";

export interface HttpAppOptions {
  title: string;
  log: Logger;
  maxBodyBytes: number;
  readiness: Array<{ name: string; ready(): boolean }>;
  /** The services this process forwards to (the gateway): part of its readiness. */
  upstreams?: () => Promise<Record<string, UpstreamHealth>>;
  /**
   * Where this process's own OpenAPI document is served (default /openapi/json). The gateway moves
   * its own elsewhere and serves the whole shop's document, merged from the services, at /openapi/json.
   */
  ownDocumentPath?: string;
}

/**
 * The shared HTTP shell of every process: request ids and logs, error mapping, a body size
 * limit, health routes and the OpenAPI document (JSON at /openapi/json, UI at /openapi).
 */
export function createHttpApp(opts: HttpAppOptions) {
  // normalize: false makes unknown body fields a 422 instead of silently dropping them.
  // idleTimeout 0: the live order stream stays open between its pings.
  // Bun.serve's own limit (an empty 413, before any of our code) sits at twice ours, so a body over
  // our limit usually gets the named error below, and nothing unbounded is ever read.
  return new Elysia({ normalize: false, serve: { maxRequestBodySize: 2 * opts.maxBodyBytes, idleTimeout: 0 } })
    .use(requestContext(opts.log))
    .use(errorHandler(opts.log))
    // Group commit: nothing leaves the process before the writes it reflects have committed.
    .onAfterHandle({ as: "global" }, async () => {
      await durable();
    })
    .onRequest(({ request }) => {
      // Refuse oversize bodies before reading them (a chunked body, without a length, is bounded by Bun.serve at twice the limit).
      const length = Number(request.headers.get("content-length") ?? 0);
      if (length > opts.maxBodyBytes) {
        throw new AppError(413, "PAYLOAD_TOO_LARGE", `Request body is ${length} bytes; the limit is ${opts.maxBodyBytes}`);
      }
    })
    .use(
      openapi({
        documentation: {
          info: { title: opts.title, version: "1.0.0", description: "Catalog, cart, order and payment API of the shop." },
          components: { securitySchemes: { bearerAuth: { type: "http", scheme: "bearer", bearerFormat: "JWT" } } },
        },
        exclude: { paths: [/^\/internal\//] },
        // The interactive page always reads /openapi/json, the whole API wherever it is served from.
        ...(opts.ownDocumentPath ? { specPath: opts.ownDocumentPath, scalar: { url: "/openapi/json" } } : {}),
      }),
    )
    .use(healthRoutes(opts.readiness, opts.upstreams))
    .get("/metrics", async ({ set }) => {
      set.headers["content-type"] = registry.contentType;
      const text = await registry.metrics();
      return `${text}${text.endsWith("\n") ? "" : "\n"}${renderHttpMetrics()}`;
    }, { detail: { tags: ["platform"], summary: "Prometheus metrics" } });
}

export type HttpApp = ReturnType<typeof createHttpApp>;
export type { AnyElysia };
