// Composition root of the default mode: every module in one process, in-process calls through
// the contracts, the in-process event bus, each module's own database (its SQLite file under DATA_DIR, or its
// PostgreSQL schema when DATABASE_URL / <MODULE>_DATABASE_URL is set).
import { authRoutes } from "../platform/auth/auth-routes";
import { Identity } from "../platform/auth/identity";
import { TokenService } from "../platform/auth/tokens";
import type { Config } from "../platform/config";
import { InProcessBus } from "../platform/events/in-process-bus";
import { ClientAddresses } from "../platform/http/client-address";
import { createHttpApp } from "../platform/http/create-app";
import { staticWeb } from "../platform/http/static-web";
import { createLogger } from "../platform/logger";
import type { ShopModule } from "../platform/module";
import { memoryRateLimiters } from "../platform/throttling/memory-rate-limiter";
import { createCartModule } from "../modules/cart/module";
import { createCatalogModule } from "../modules/catalog/module";
import { createOrderModule } from "../modules/order/module";
import { createPaymentModule } from "../modules/payment/module";

export async function buildAllInOne(config: Config) {
  const log = createLogger(config.logLevel, { service: "shop" });
  const bus = new InProcessBus(log);
  // Throttling counts live in this process (one process: right); the factory is where a
  // database-backed limiter would be chosen instead.
  const addresses = new ClientAddresses(config.trustedProxies);
  const identity = new Identity(config, memoryRateLimiters, addresses);
  await identity.open();
  await identity.users.seedDemoUsers(config.demoPasswords);
  // Every token is checked against its session here directly (cached; a sign-out clears it at once).
  const tokens = new TokenService(config.tokenSecret, config.tokenTtlSeconds, identity.sessionCheck);

  const deps = { dataDir: config.dataDir, databases: config.databases, bus, log, tokens };
  const catalog = createCatalogModule({ ...deps, seed: config.seedCatalog });
  const payment = createPaymentModule(deps);
  const cart = createCartModule({ ...deps, catalog: catalog.api });
  const declinedPayments = { limiterFor: memoryRateLimiters, perAccount: config.throttle.declinedPerAccount, perAddress: config.throttle.declinedPerAddress, addresses };
  const order = createOrderModule({ ...deps, cart: cart.api, catalog: catalog.api, payments: payment.api, secret: config.tokenSecret, declinedPayments, checkoutSweep: config.checkoutSweep });
  const modules: ShopModule[] = [catalog, payment, cart, order];

  const readiness = [...modules, { name: "identity", ready: () => identity.answers() }];
  const app = createHttpApp({ title: "Shop (all-in-one)", log, maxBodyBytes: config.maxBodyBytes, requestLog: config.requestLog, metricsPort: config.metricsPort, readiness })
    .use(authRoutes(identity, tokens))
    .use(catalog.routes)
    .use(cart.routes)
    .use(payment.routes)
    .use(order.routes)
    .use(staticWeb(config.webDist));

  return {
    app,
    log,
    tokens,
    identity,
    modules: { catalog, payment, cart, order },
    async start() {
      await bus.start();
      for (const m of modules) await m.start();
    },
    drain() {
      for (const m of modules) m.drain?.();
    },
    async stop() {
      for (const m of [...modules].reverse()) await m.stop();
      await bus.stop();
      await identity.close();
    },
  };
}
