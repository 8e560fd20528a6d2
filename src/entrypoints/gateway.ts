// Split mode: the one origin clients and the dashboard see. Routes /api/<prefix> to the owning
// service, signs users in (it owns the identity database, and tells the services whether a
// token's session is live), serves the dashboard, and answers for the whole shop: its readiness
// asks every service, its OpenAPI document merges theirs.
import { authRoutes } from "../platform/auth/auth-routes";
import { Identity } from "../platform/auth/identity";
import { identityInternalRoutes } from "../platform/auth/identity-internal-routes";
import { createHttpApp } from "../platform/http/create-app";
import { mergedOpenApi, type OpenApiDocument } from "../platform/http/merged-openapi";
import { reverseProxy } from "../platform/http/reverse-proxy";
import { UpstreamPool } from "../platform/http/upstream-pool";
import { watchUpstreams } from "../platform/observability/upstream-metrics";
import { staticWeb } from "../platform/http/static-web";
import { probeUpstreams } from "../platform/http/upstream-health";
import { serveUntilSignalled } from "../platform/lifecycle";
import { memoryRateLimiters } from "../platform/throttling/memory-rate-limiter";
import { serviceContext } from "./service-runtime";
import { dashboardWelcome } from "./welcome";

/** Short enough for a readiness probe's own 1 s timeout: a service that does not answer by then counts as down. */
const UPSTREAM_READY_TIMEOUT_MS = 750;
const OWN_DOCUMENT_PATH = "/openapi/gateway.json";

const ctx = serviceContext("gateway", { ownsIdentity: true });
const identity = new Identity(ctx.config, memoryRateLimiters, ctx.addresses);
await identity.open();
ctx.tokens.checkSessionsWith(identity.sessionCheck);
await identity.users.seedDemoUsers(ctx.config.demoPasswords);

const route = (prefix: string, service: "catalog" | "cart" | "order" | "payment") => {
  const pool = watchUpstreams(new UpstreamPool(service, ctx.urlsOf(service)));
  // The merged OpenAPI document asks a replica whose breaker is closed when there is one.
  return { prefix, service, pool, urls: ctx.urlsOf(service), get baseUrl() { return pool.pick()!.url; } };
};
const routes = [route("/api/products", "catalog"), route("/api/cart", "cart"), route("/api/orders", "order"), route("/api/payments", "payment")];

const streams = new AbortController();
const app = createHttpApp({
  title: "Shop gateway",
  log: ctx.log,
  maxBodyBytes: ctx.config.maxBodyBytes,
  requestLog: ctx.config.requestLog,
  metricsPort: ctx.config.metricsPort,
  readiness: [{ name: "identity", ready: () => identity.answers() }],
  upstreams: probeUpstreams(routes, UPSTREAM_READY_TIMEOUT_MS),
  ownDocumentPath: OWN_DOCUMENT_PATH,
  forwardsBodiesUnder: routes.map((r) => r.prefix), // the services judge their own bodies, as in all-in-one
})
  .use(
    mergedOpenApi({
      sources: routes,
      own: ownDocument,
      timeoutMs: 2_000,
      ttlMs: 30_000,
    }),
  )
  .use(authRoutes(identity, ctx.tokens))
  .use(identityInternalRoutes(identity, ctx.tokens))
  .use(reverseProxy(routes, streams.signal, ctx.addresses))
  .use(staticWeb(ctx.config.webDist));

/** The gateway's own routes (sign-in, health, metrics), as its OpenAPI plugin documents them. */
async function ownDocument(): Promise<OpenApiDocument> {
  return (await app.handle(new Request(`http://gateway.local${OWN_DOCUMENT_PATH}`))).json() as Promise<OpenApiDocument>;
}

await serveUntilSignalled(app, ctx.config, ctx.log, async () => identity.close(), () => streams.abort(), dashboardWelcome(ctx.config));
