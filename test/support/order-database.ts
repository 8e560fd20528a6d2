// A real order database on its own (its migrations, its unit of work and outbox), for tests of the
// order module's storage and of the parts that read it: orders placed straight into it.
import { join } from "node:path";
import type { Order, OrderStatus } from "../../src/modules/order";
import type { IdempotencyRecord } from "../../src/modules/order/order-repository";
import { Elysia } from "elysia";
import { PostgresOrderRepository } from "../../src/modules/order/order-repository.postgres";
import { SqliteOrderRepository } from "../../src/modules/order/order-repository.sqlite";
import { PostgresOrderStatistics } from "../../src/modules/order/viewing/order-statistics.postgres";
import { SqliteOrderStatistics } from "../../src/modules/order/viewing/order-statistics.sqlite";
import * as schema from "../../src/modules/order/schema";
import type { ModuleDeps } from "../../src/platform/module";
import { openModuleKit } from "../../src/platform/module-kit";
import { repoRoot } from "./processes";

/** On the engine `deps` choose (moduleDepsOn): migrated, its relay running, as the order module starts it. */
export async function orderDatabase(deps: ModuleDeps) {
  const kit = openModuleKit(deps, { name: "order", schema, migrations: join(repoRoot, "src", "modules", "order", "migrations"), raisesEvents: true });
  const [orders, statistics] =
    kit.dialect === "postgres"
      ? [new PostgresOrderRepository(kit.sql, kit.units), new PostgresOrderStatistics(kit.sql)]
      : [new SqliteOrderRepository(kit.database.sqlite, kit.units), new SqliteOrderStatistics(kit.database.sqlite)];
  const lifecycle = kit.lifecycle({ routes: new Elysia() });
  await lifecycle.start();
  return { orders, statistics, close: () => lifecycle.stop() };
}

/** An order of one line, as a checkout would have snapshotted it, in `status` (PENDING by default). */
export function anOrder(userId: string, status: OrderStatus = "PENDING", paymentId: string | null = null): Order {
  const at = new Date().toISOString();
  return {
    id: `o-${crypto.randomUUID()}`, userId, username: "test", status, paymentId, failureReason: null,
    items: [{ productId: "p-1", name: "Kettle", unitPriceCents: 1234, quantity: 1, lineTotalCents: 1234 }],
    totalCents: 1234, currency: "EUR", history: [{ status: "PENDING", at }], createdAt: at, updatedAt: at,
  };
}

/** The Idempotency-Key record an order is placed with (a fresh key unless one is given). */
export const keyFor = (order: Order, key = `key-${order.id}`): IdempotencyRecord => ({
  userId: order.userId,
  key,
  requestHash: "hash",
  orderId: order.id,
  createdAt: order.createdAt,
});
