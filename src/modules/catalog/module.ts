// How the catalog module is built and wired, for src/entrypoints/ (and tests) alone: its factory and the
// HTTP adapter of its contract. Other modules and the dashboard use index.ts, the contract.
import { join } from "node:path";
import { lockKey } from "../../platform/db/postgres/session-locks";
import type { ModuleDeps, ShopModule } from "../../platform/module";
import { openModuleKit } from "../../platform/module-kit";
import { inProcessCatalogApi } from "./catalog-clients";
import { PostgresCatalogRepository } from "./catalog-repository.postgres";
import { SqliteCatalogRepository } from "./catalog-repository.sqlite";
import { CatalogService } from "./catalog-service";
import type { CatalogApi } from "./contract";
import { catalogRoutes } from "./routes";
import * as schema from "./schema";
import { seedProducts } from "./seed-products";

export interface CatalogModule extends ShopModule {
  api: CatalogApi;
}

/** `seed`: an empty catalog gets the demo's products when the module starts. */
export function createCatalogModule(deps: ModuleDeps & { seed?: boolean }): CatalogModule {
  const kit = openModuleKit(deps, { name: "catalog", schema, migrations: join(import.meta.dir, "migrations"), raisesEvents: true });
  const repository = kit.dialect === "postgres" ? new PostgresCatalogRepository(kit.sql, kit.units) : new SqliteCatalogRepository(kit.database.sqlite, kit.units);
  const catalog = new CatalogService(repository);
  const seeding = {
    async start() {
      if (!deps.seed) return;
      // Replicas starting together on PostgreSQL: one seeds (under the lock), the others find it held or done.
      const seed = () => catalog.seed(seedProducts);
      const claimed = kit.dialect === "postgres" ? await kit.locks.whileHolding(lockKey("seed", "catalog"), seed) : { ran: true as const, value: await seed() };
      const seeded = claimed.ran ? claimed.value : 0;
      if (seeded) kit.log.info("catalog seeded", { products: seeded });
    },
    stop() {},
  };
  return {
    ...kit.lifecycle({ routes: catalogRoutes(catalog, deps.tokens), background: seeding }),
    api: inProcessCatalogApi(catalog),
  };
}

export { httpCatalogApi } from "./catalog-clients";
