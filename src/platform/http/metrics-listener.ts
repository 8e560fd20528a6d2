import type { Server } from "bun";
import { errorBody } from "../errors";
import type { Logger } from "../logger";
import { METRICS_CONTENT_TYPE, metricsText } from "../observability/metrics-endpoint";
import { lastResortErrorResponse } from "./last-resort";
import { pathOf } from "./request-target";
import { SECURITY_HEADERS } from "./security-headers";

/**
 * GET /metrics on its own port (METRICS_PORT), for the scraper inside the cluster: the public port
 * answers 404 there. Nothing else is served on this port.
 */
export function serveMetrics(opts: { port: number; host: string; reusePort: boolean; log: Logger }): Server<undefined> {
  return Bun.serve({
    port: opts.port,
    hostname: opts.host,
    reusePort: opts.reusePort,
    async fetch(request) {
      if ((request.method === "GET" || request.method === "HEAD") && pathOf(request.url) === "/metrics") {
        return new Response(await metricsText(), { headers: { ...SECURITY_HEADERS, "content-type": METRICS_CONTENT_TYPE } });
      }
      return Response.json(errorBody("ROUTE_NOT_FOUND", `The metrics port serves GET /metrics only`), { status: 404, headers: SECURITY_HEADERS });
    },
    error: (error) => lastResortErrorResponse(opts.log, error),
  });
}
