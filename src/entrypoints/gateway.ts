// Split mode: the one origin clients and the dashboard see. Routes /api/<prefix> to the owning
// service, signs users in (it owns the identity database), serves the dashboard, and answers for
// the whole shop: its readiness asks every service, its OpenAPI document merges theirs.
import { authRoutes } from "../platform/auth/auth-routes";
import { UserStore } from "../platform/auth/user-store";
import { createHttpApp } from "../platform/http/create-app";
import { mergedOpenApi, type OpenApiDocument } from "../platform/http/merged-openapi";
import { reverseProxy } from "../platform/http/reverse-proxy";
import { staticWeb } from "../platform/http/static-web";
import { probeUpstreams } from "../platform/http/upstream-health";
import { serveUntilSignalled } from "../platform/lifecycle";
import { serviceContext } from "./service-runtime";
import { dashboardWelcome } from "./welcome";

/** Short enough for a readiness probe's own 1 s timeout: a service that does not answer by then counts as down. */
const UPSTREAM_READY_TIMEOUT_MS = 750;
const OWN_DOCUMENT_PATH = "/openapi/gateway.json";

const ctx = serviceContext("gateway");
const users = new UserStore(ctx.config.dataDir);
await users.seedDemoUsers(ctx.config.demoPasswords);

const routes = [
  { prefix: "/api/products", service: "catalog", baseUrl: ctx.urlOf("catalog") },
  { prefix: "/api/cart", service: "cart", baseUrl: ctx.urlOf("cart") },
  { prefix: "/api/orders", service: "order", baseUrl: ctx.urlOf("order") },
  { prefix: "/api/payments", service: "payment", baseUrl: ctx.urlOf("payment") },
];

const streams = new AbortController();
const app = createHttpApp({
  title: "Shop gateway",
  log: ctx.log,
  maxBodyBytes: ctx.config.maxBodyBytes,
  metricsPort: ctx.config.metricsPort,
  readiness: [{ name: "identity", ready: () => users.database.answers() }],
  upstreams: probeUpstreams(routes, UPSTREAM_READY_TIMEOUT_MS),
  ownDocumentPath: OWN_DOCUMENT_PATH,
})
  .use(
    mergedOpenApi({
      sources: routes,
      own: ownDocument,
      timeoutMs: 2_000,
      ttlMs: 30_000,
    }),
  )
  .use(authRoutes(users, ctx.tokens))
  .use(reverseProxy(routes, streams.signal))
  .use(staticWeb(ctx.config.webDist));

/** The gateway's own routes (sign-in, health, metrics), as its OpenAPI plugin documents them. */
async function ownDocument(): Promise<OpenApiDocument> {
  return (await app.handle(new Request(`http://gateway.local${OWN_DOCUMENT_PATH}`))).json() as Promise<OpenApiDocument>;
}

await serveUntilSignalled(app, ctx.config, ctx.log, async () => users.close(), () => streams.abort(), dashboardWelcome(ctx.config));
