// Split mode: the one origin clients and the dashboard see. Routes /api/<prefix> to the owning
// service, signs users in (it owns the identity database, and tells the services whether a
// token's session is live), and serves the dashboard.
import { authRoutes } from "../platform/auth/auth-routes";
import { Identity } from "../platform/auth/identity";
import { identityInternalRoutes } from "../platform/auth/identity-internal-routes";
import { createHttpApp } from "../platform/http/create-app";
import { reverseProxy } from "../platform/http/reverse-proxy";
import { staticWeb } from "../platform/http/static-web";
import { serveUntilSignalled } from "../platform/lifecycle";
import { memoryRateLimiters } from "../platform/throttling/memory-rate-limiter";
import { serviceContext } from "./service-runtime";

const ctx = serviceContext("gateway", { ownsIdentity: true });
const identity = new Identity(ctx.config, memoryRateLimiters, ctx.addresses);
ctx.tokens.checkSessionsWith(identity.sessionCheck);
await identity.users.seedDemoUsers(ctx.config.demoPasswords);

const routes = [
  { prefix: "/api/products", service: "catalog", baseUrl: ctx.urlOf("catalog") },
  { prefix: "/api/cart", service: "cart", baseUrl: ctx.urlOf("cart") },
  { prefix: "/api/orders", service: "order", baseUrl: ctx.urlOf("order") },
  { prefix: "/api/payments", service: "payment", baseUrl: ctx.urlOf("payment") },
];

const streams = new AbortController();
const app = createHttpApp({ title: "Shop gateway", log: ctx.log, maxBodyBytes: ctx.config.maxBodyBytes, readiness: [{ name: "identity", ready: () => true }] })
  .use(authRoutes(identity, ctx.tokens))
  .use(identityInternalRoutes(identity, ctx.tokens))
  .use(reverseProxy(routes, streams.signal, ctx.addresses))
  .use(staticWeb(ctx.config.webDist));

await serveUntilSignalled(app, ctx.config.port, ctx.log, async () => identity.close(), () => streams.abort());
