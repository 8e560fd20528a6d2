// Composition root of the default mode: every module in one process, in-process calls through
// the contracts, the in-process event bus, one SQLite file per module under DATA_DIR.
import { authRoutes } from "../platform/auth/auth-routes";
import { TokenService } from "../platform/auth/tokens";
import { UserStore } from "../platform/auth/user-store";
import type { Config } from "../platform/config";
import { InProcessBus } from "../platform/events/in-process-bus";
import { createHttpApp } from "../platform/http/create-app";
import { staticWeb } from "../platform/http/static-web";
import { createLogger } from "../platform/logger";
import type { ShopModule } from "../platform/module";
import { createCartModule } from "../modules/cart";
import { createCatalogModule } from "../modules/catalog";
import { createOrderModule } from "../modules/order";
import { createPaymentModule } from "../modules/payment";

export async function buildAllInOne(config: Config) {
  const log = createLogger(config.logLevel, { service: "shop" });
  const tokens = new TokenService(config.tokenSecret, config.tokenTtlSeconds);
  const bus = new InProcessBus(log);
  const users = new UserStore(config.dataDir);
  await users.seedDemoUsers(config.demoPasswords);

  const deps = { dataDir: config.dataDir, bus, log, tokens };
  const catalog = createCatalogModule({ ...deps, seed: config.seedCatalog });
  const payment = createPaymentModule(deps);
  const cart = createCartModule({ ...deps, catalog: catalog.api });
  const order = createOrderModule({ ...deps, cart: cart.api, catalog: catalog.api, payments: payment.api, secret: config.tokenSecret });
  const modules: ShopModule[] = [catalog, payment, cart, order];

  const readiness = [...modules, { name: "identity", ready: () => users.database.answers() }];
  const app = createHttpApp({ title: "Shop (all-in-one)", log, maxBodyBytes: config.maxBodyBytes, metricsPort: config.metricsPort, readiness })
    .use(authRoutes(users, tokens))
    .use(catalog.routes)
    .use(cart.routes)
    .use(payment.routes)
    .use(order.routes)
    .use(staticWeb(config.webDist));

  return {
    app,
    log,
    tokens,
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
      users.close();
    },
  };
}
