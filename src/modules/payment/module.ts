// How the payment module is built and wired, for src/entrypoints/ (and tests) alone: its factory and the
// HTTP adapter of its contract. Other modules and the dashboard use index.ts, the contract.
import { join } from "node:path";
import { openModuleKit } from "../../platform/module-kit";
import type { ModuleDeps, ShopModule } from "../../platform/module";
import type { PaymentApi } from "./contract";
import { inProcessPaymentApi } from "./payment-clients";
import { PostgresPaymentRepository } from "./payment-repository.postgres";
import { SqlitePaymentRepository } from "./payment-repository.sqlite";
import { PaymentService } from "./payment-service";
import { paymentRoutes } from "./routes";
import * as schema from "./schema";

export interface PaymentModule extends ShopModule {
  api: PaymentApi;
}

export function createPaymentModule(deps: ModuleDeps): PaymentModule {
  const kit = openModuleKit(deps, { name: "payment", schema, migrations: join(import.meta.dir, "migrations"), raisesEvents: true });
  const repository = kit.dialect === "postgres" ? new PostgresPaymentRepository(kit.sql, kit.units) : new SqlitePaymentRepository(kit.database.sqlite, kit.units);
  const payments = new PaymentService(repository);
  return {
    ...kit.lifecycle({ routes: paymentRoutes(payments, deps.tokens) }),
    api: inProcessPaymentApi(payments),
  };
}

export { httpPaymentApi } from "./payment-clients";
