// How the cart module is built and wired, for src/entrypoints/ (and tests) alone: its factory and the
// HTTP adapter of its contract. Other modules and the dashboard use index.ts, the contract.
import { join } from "node:path";
import { openModuleDatabase } from "../../platform/db/open-database";
import { migrationsFolder } from "../../platform/db/migrations-folder";
import type { ModuleDeps, ShopModule } from "../../platform/module";
import type { CatalogApi } from "../catalog";
import { inProcessCartApi } from "./cart-clients";
import { CartService } from "./cart-service";
import type { CartApi } from "./contract";
import { orderPaidHandler } from "./order-paid-handler";
import { cartRoutes } from "./routes";
import * as schema from "./schema";

export interface CartModule extends ShopModule {
  api: CartApi;
}

export function createCartModule(deps: ModuleDeps & { catalog: CatalogApi }): CartModule {
  const database = openModuleDatabase(deps.dataDir, "cart", schema, migrationsFolder("cart", join(import.meta.dir, "migrations")));
  const carts = new CartService(database.sqlite, deps.catalog);
  deps.bus.subscribe(orderPaidHandler(carts));
  let open = true;
  return {
    name: "cart",
    api: inProcessCartApi(carts),
    routes: cartRoutes(carts, deps.tokens),
    ready: () => open && database.answers(),
    async start() {},
    async stop() {
      open = false;
      database.close();
    },
  };
}

export { httpCartApi } from "./cart-clients";
