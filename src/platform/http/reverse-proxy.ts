import { Elysia } from "elysia";
import { DependencyUnavailableError, errorBody } from "../errors";
import { injectHeaders } from "../observability/tracing";
import { methodNotAllowed, routeNotFound } from "./error-handler";
import { pathOf, searchOf } from "./request-target";
import type { ClientAddresses, RequestIpSource } from "./client-address";
import { idempotentRequest, neverSent, type Replica, type UpstreamPool } from "./upstream-pool";

export interface ProxyRoute {
  /** Path prefix owned by the service, e.g. /api/cart. */
  prefix: string;
  /** Service name used in 503s. */
  service: string;
  /** The service's replicas. */
  pool: UpstreamPool;
}

/** What the proxy asks of the server it runs in: the client's address, and a request's own idle timeout. */
type ProxyServer = RequestIpSource & { timeout?(request: Request, seconds: number): void };

const HOP_BY_HOP = ["connection", "keep-alive", "transfer-encoding", "upgrade", "host", "content-length"];

/**
 * The gateway's routing: `/api/<prefix>` goes to the service that owns it, streamed both ways
 * (the live order stream included). A service that cannot be reached is a 503 naming it.
 * X-Forwarded-For is replaced by the client address the gateway saw (never the client's own
 * header), for the services' per-address limits.
 *
 * Each request goes to one replica of the service (upstream-pool.ts chooses). When that replica
 * cannot be reached or answers 503, the request is sent to another only if sending it twice is
 * harmless: a safe method, an Idempotency-Key, or a connection refused before anything was sent.
 * A live stream stays on the replica that answered; when that replica dies the stream ends and the
 * client's EventSource reconnects, to a replica that is up.
 */
export function reverseProxy(routes: ProxyRoute[], shutdown?: AbortSignal, addresses?: ClientAddresses) {
  const app = new Elysia({ name: "platform.reverse-proxy", detail: { hide: true } });
  for (const route of routes) {
    const forward = async ({ request, set, requestId, server }: { request: Request; set: { status?: number | string; headers: Record<string, string | number> }; requestId?: string; server: ProxyServer | null }) => {
      const headers = new Headers(request.headers);
      for (const h of HOP_BY_HOP) headers.delete(h);
      const host = request.headers.get("host");
      if (host) headers.set("x-forwarded-host", host);
      if (addresses) headers.set("x-forwarded-for", addresses.of(request, server));
      else headers.delete("x-forwarded-for");
      if (requestId) headers.set("x-request-id", requestId);
      for (const [name, value] of Object.entries(injectHeaders())) headers.set(name, value);
      const path = pathOf(request.url);
      const hasBody = request.method !== "GET" && request.method !== "HEAD";
      // Unread: the service judges its own bodies (createHttpApp's forwardsBodiesUnder).
      if (hasBody && request.bodyUsed) throw new Error(`${request.method} ${path}: the body was parsed before the proxy; list ${route.prefix} in forwardsBodiesUnder`);
      const body = hasBody ? await request.arrayBuffer() : undefined;
      const target = path + searchOf(request.url);
      // Aborted when the client leaves, or when the gateway shuts down (ends proxied live streams).
      const signal = shutdown ? AbortSignal.any([request.signal, shutdown]) : request.signal;
      // No route takes TRACE, and Bun's fetch drops the body of a TRACE answer: the service is asked
      // which methods the path takes (OPTIONS) and the 405 it would give is answered here.
      const asked = request.method === "TRACE" ? "OPTIONS" : request.method;
      const repeatable = idempotentRequest(request.method, request.headers);
      const tried = new Set<Replica>();
      let problem = "no replica answered";
      for (let replica = route.pool.pick(tried); replica; replica = route.pool.pick(tried)) {
        tried.add(replica);
        replica.begin();
        let upstream: Response;
        try {
          upstream = await fetch(replica.url + target, { method: asked, headers, body, signal, redirect: "manual" });
        } catch (error) {
          if (signal.aborted) {
            replica.ended();
            break;
          }
          replica.failed();
          problem = (error as Error).message || "connection failed";
          if (repeatable || neverSent(error)) continue;
          break;
        }
        if (upstream.status === 503) {
          replica.failed();
          if (repeatable && tried.size < route.pool.replicas.length) {
            await upstream.body?.cancel();
            continue;
          }
        } else replica.succeeded();
        // A live stream is quiet between events: not an idle connection (HTTP_IDLE_TIMEOUT_SECONDS), as at the service.
        if (upstream.headers.get("content-type")?.startsWith("text/event-stream")) server?.timeout?.(request, 0);
        if (asked !== request.method && (upstream.status === 204 || upstream.status === 404)) {
          await upstream.body?.cancel();
          const allow = upstream.headers.get("allow");
          set.status = allow ? 405 : 404;
          if (!allow) return routeNotFound(request.method, path);
          set.headers.allow = allow;
          return methodNotAllowed(request.method, path, allow.split(", "));
        }
        const out = new Headers(upstream.headers);
        for (const h of HOP_BY_HOP) out.delete(h);
        out.delete("content-encoding");
        return new Response(upstream.body, { status: upstream.status, headers: out });
      }
      const unavailable = new DependencyUnavailableError(route.service, problem);
      set.status = 503;
      return errorBody(unavailable.code, unavailable.message, unavailable.details);
    };
    // Every method goes to the service, which answers it or says 405 and what it allows. GET on its
    // own: a method route outranks .all(), and the dashboard's GET /* must not win.
    app.get(route.prefix, forward as never).get(`${route.prefix}/*`, forward as never);
    app.all(route.prefix, forward as never).all(`${route.prefix}/*`, forward as never);
  }
  return app;
}
