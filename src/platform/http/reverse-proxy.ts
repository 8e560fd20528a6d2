import { Elysia } from "elysia";
import { DependencyUnavailableError, errorBody } from "../errors";
import { injectHeaders } from "../observability/tracing";
import { jsonTextOf } from "./json-body";
import { pathOf, searchOf } from "./request-target";
import type { ClientAddresses, RequestIpSource } from "./client-address";

export interface ProxyRoute {
  /** Path prefix owned by the service, e.g. /api/cart. */
  prefix: string;
  /** Service name used in 503s. */
  service: string;
  baseUrl: string;
}

const HOP_BY_HOP = ["connection", "keep-alive", "transfer-encoding", "upgrade", "host", "content-length"];

/**
 * The gateway's routing: `/api/<prefix>` goes to the service that owns it, streamed both ways
 * (the live order stream included). A service that cannot be reached is a 503 naming it.
 * X-Forwarded-For is replaced by the client address the gateway saw (never the client's own
 * header), for the services' per-address limits.
 */
export function reverseProxy(routes: ProxyRoute[], shutdown?: AbortSignal, addresses?: ClientAddresses) {
  const app = new Elysia({ name: "platform.reverse-proxy", detail: { hide: true } });
  for (const route of routes) {
    const forward = async ({ request, set, requestId, server }: { request: Request; set: { status?: number | string }; requestId?: string; server: RequestIpSource | null }) => {
      const headers = new Headers(request.headers);
      for (const h of HOP_BY_HOP) headers.delete(h);
      const host = request.headers.get("host");
      if (host) headers.set("x-forwarded-host", host);
      if (addresses) headers.set("x-forwarded-for", addresses.of(request, server));
      else headers.delete("x-forwarded-for");
      if (requestId) headers.set("x-request-id", requestId);
      for (const [name, value] of Object.entries(injectHeaders())) headers.set(name, value);
      const hasBody = request.method !== "GET" && request.method !== "HEAD";
      try {
        const upstream = await fetch(route.baseUrl + pathOf(request.url) + searchOf(request.url), {
          method: request.method,
          headers,
          // A JSON body was read (and checked) by the shell's parser: forward the same text.
          body: hasBody ? (jsonTextOf(request) ?? (await request.arrayBuffer())) : undefined,
          // Aborted when the client leaves, or when the gateway shuts down (ends proxied live streams).
          signal: shutdown ? AbortSignal.any([request.signal, shutdown]) : request.signal,
          redirect: "manual",
        });
        const out = new Headers(upstream.headers);
        for (const h of HOP_BY_HOP) out.delete(h);
        out.delete("content-encoding");
        return new Response(upstream.body, { status: upstream.status, headers: out });
      } catch (error) {
        const problem = new DependencyUnavailableError(route.service, (error as Error).message || "connection failed");
        set.status = 503;
        return errorBody(problem.code, problem.message, problem.details);
      }
    };
    // Every method goes to the service, which answers it or says 405 and what it allows. GET on its
    // own: a method route outranks .all(), and the dashboard's GET /* must not win.
    app.get(route.prefix, forward as never).get(`${route.prefix}/*`, forward as never);
    app.all(route.prefix, forward as never).all(`${route.prefix}/*`, forward as never);
  }
  return app;
}
