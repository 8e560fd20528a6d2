// How the cart module is built and wired, for src/entrypoints/ (and tests) alone: its factory and the
// HTTP adapter of its contract. Other modules and the dashboard use index.ts, the contract.
import { join } from "node:path";
import type { ModuleDeps, ShopModule } from "../../platform/module";
import { openModuleKit } from "../../platform/module-kit";
import type { CatalogApi } from "../catalog";
import { inProcessCartApi } from "./cart-clients";
import { PostgresCartRepository } from "./cart-repository.postgres";
import { SqliteCartRepository } from "./cart-repository.sqlite";
import { CartService } from "./cart-service";
import type { CartApi } from "./contract";
import { orderPaidHandler } from "./order-paid-handler";
import { cartRoutes } from "./routes";
import * as schema from "./schema";

export interface CartModule extends ShopModule {
  api: CartApi;
}

export function createCartModule(deps: ModuleDeps & { catalog: CatalogApi }): CartModule {
  const kit = openModuleKit(deps, { name: "cart", schema, migrations: join(import.meta.dir, "migrations"), raisesEvents: false });
  const repository = kit.dialect === "postgres" ? new PostgresCartRepository(kit.sql, kit.units) : new SqliteCartRepository(kit.database.sqlite, kit.units);
  const carts = new CartService(repository, deps.catalog);
  deps.bus.subscribe(orderPaidHandler(carts));
  return {
    ...kit.lifecycle({ routes: cartRoutes(carts, deps.tokens) }),
    api: inProcessCartApi(carts),
  };
}

export { httpCartApi } from "./cart-clients";
