// How the catalog module is built and wired, for src/entrypoints/ (and tests) alone: its factory and the
// HTTP adapter of its contract. Other modules and the dashboard use index.ts, the contract.
import { join } from "node:path";
import { openModuleDatabase } from "../../platform/db/open-database";
import { migrationsFolder } from "../../platform/db/migrations-folder";
import { OutboxRelay } from "../../platform/events/outbox-relay";
import type { ModuleDeps, ShopModule } from "../../platform/module";
import { CatalogService } from "./catalog-service";
import { inProcessCatalogApi } from "./catalog-clients";
import type { CatalogApi } from "./contract";
import { catalogRoutes } from "./routes";
import * as schema from "./schema";
import { seedProducts } from "./seed-products";

export interface CatalogModule extends ShopModule {
  api: CatalogApi;
  /** For tests and tools that need to reach below the HTTP surface. */
  service: CatalogService;
}

export function createCatalogModule(deps: ModuleDeps & { seed?: boolean }): CatalogModule {
  const database = openModuleDatabase(deps.dataDir, "catalog", schema, migrationsFolder("catalog", join(import.meta.dir, "migrations")));
  const log = deps.log.child({ module: "catalog" });
  const relay = new OutboxRelay(database.sqlite, deps.bus, log, { module: "catalog" });
  const service = new CatalogService(database.sqlite, database.db, () => relay.nudge());

  if (deps.seed && service.products.count() === 0) {
    for (const product of seedProducts) service.create(product);
    log.info("catalog seeded", { products: seedProducts.length });
  }

  let open = true;
  return {
    name: "catalog",
    api: inProcessCatalogApi(service),
    service,
    routes: catalogRoutes(service, deps.tokens),
    ready: () => open && database.answers(),
    async start() {
      relay.start();
    },
    async stop() {
      await relay.stop();
      open = false;
      database.close();
    },
  };
}

export { httpCatalogApi } from "./catalog-clients";
