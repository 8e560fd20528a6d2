// Split mode: the one origin clients and the dashboard see. Routes /api/<prefix> to the owning
// service, signs users in (it owns the identity database), and serves the dashboard.
import { authRoutes } from "../platform/auth/auth-routes";
import { UserStore } from "../platform/auth/user-store";
import { createHttpApp } from "../platform/http/create-app";
import { reverseProxy } from "../platform/http/reverse-proxy";
import { staticWeb } from "../platform/http/static-web";
import { serveUntilSignalled } from "../platform/lifecycle";
import { serviceContext } from "./service-runtime";

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
})
  .use(authRoutes(users, ctx.tokens))
  .use(reverseProxy(routes, streams.signal))
  .use(staticWeb(ctx.config.webDist));

await serveUntilSignalled(app, ctx.config, ctx.log, async () => users.close(), () => streams.abort());
