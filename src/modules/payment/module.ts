// How the payment module is built and wired, for src/entrypoints/ (and tests) alone: its factory and the
// HTTP adapter of its contract. Other modules and the dashboard use index.ts, the contract.
import { join } from "node:path";
import { openModuleDatabase } from "../../platform/db/open-database";
import { migrationsFolder } from "../../platform/db/migrations-folder";
import { OutboxRelay } from "../../platform/events/outbox-relay";
import type { ModuleDeps, ShopModule } from "../../platform/module";
import type { PaymentApi } from "./contract";
import { inProcessPaymentApi } from "./payment-clients";
import { PaymentService } from "./payment-service";
import { paymentRoutes } from "./routes";
import * as schema from "./schema";

export interface PaymentModule extends ShopModule {
  api: PaymentApi;
}

export function createPaymentModule(deps: ModuleDeps): PaymentModule {
  const database = openModuleDatabase(deps.dataDir, "payment", schema, migrationsFolder("payment", join(import.meta.dir, "migrations")));
  const relay = new OutboxRelay(database.sqlite, deps.bus, deps.log.child({ module: "payment" }), { module: "payment" });
  const payments = new PaymentService(database.sqlite, database.db, () => relay.nudge());
  let open = true;
  return {
    name: "payment",
    api: inProcessPaymentApi(payments),
    routes: paymentRoutes(payments, deps.tokens),
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

export { httpPaymentApi } from "./payment-clients";
