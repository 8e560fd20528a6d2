// How the order module is built and wired, for src/entrypoints/ (and tests) alone: its factory.
// Other modules and the dashboard use index.ts, the contract.
import { join } from "node:path";
import { openModuleDatabase } from "../../platform/db/open-database";
import { migrationsFolder } from "../../platform/db/migrations-folder";
import { OutboxRelay } from "../../platform/events/outbox-relay";
import type { ModuleDeps, ShopModule } from "../../platform/module";
import type { CartApi } from "../cart";
import type { CatalogApi } from "../catalog";
import type { PaymentApi } from "../payment";
import { CheckoutRecovery } from "./checkout/checkout-recovery";
import { CheckoutSaga } from "./checkout/checkout-saga";
import { DeclinedPaymentThrottle, type DeclinedPaymentLimits } from "./checkout/declined-payment-throttle";
import { lateChargeRefund } from "./late-charge-refund";
import { OrderCancellation } from "./order-cancellation";
import { OrderLiveFeed } from "./order-live-feed";
import { OrderRepository } from "./order-repository";
import { OrderService } from "./order-service";
import { OrderStore } from "./order-store";
import { orderRoutes } from "./routes";
import * as schema from "./schema";

export type OrderModule = ShopModule;

export interface OrderModuleDeps extends ModuleDeps {
  cart: CartApi;
  catalog: CatalogApi;
  payments: PaymentApi;
  /** Keys request hashes of idempotency records. */
  secret: string;
  /** A consumer group of its own per process, so every instance's dashboards see every event. */
  liveFeedGroup?: string;
  /** Card testing: limits on declined payments per account and per client address. */
  declinedPayments: DeclinedPaymentLimits;
}

export function createOrderModule(deps: OrderModuleDeps): OrderModule {
  const database = openModuleDatabase(deps.dataDir, "order", schema, migrationsFolder("order", join(import.meta.dir, "migrations")));
  const log = deps.log.child({ module: "order" });
  const relay = new OutboxRelay(database.sqlite, deps.bus, log, { module: "order" });
  const repo = new OrderRepository(database.db, database.sqlite);
  const store = new OrderStore(database.sqlite, repo, () => relay.nudge());
  const saga = new CheckoutSaga({ store, cart: deps.cart, catalog: deps.catalog, payments: deps.payments, log, hashSecret: deps.secret });
  const cancellation = new OrderCancellation({ store, catalog: deps.catalog, payments: deps.payments, log });
  const recovery = new CheckoutRecovery({ store, cart: deps.cart, catalog: deps.catalog, payments: deps.payments, saga, cancellation, log });
  const orders = new OrderService(store, saga, recovery, cancellation);
  const feed = new OrderLiveFeed();

  deps.bus.subscribe(feed.subscription(deps.liveFeedGroup ?? "order-live"));
  deps.bus.subscribe(lateChargeRefund(repo, deps.payments, log));

  let open = true;
  return {
    name: "order",
    routes: orderRoutes(orders, saga, feed, deps.tokens, new DeclinedPaymentThrottle(deps.declinedPayments)),
    ready: () => open && database.answers(),
    drain: () => feed.close(),
    async start() {
      relay.start();
      // Nothing of this process is in flight yet: every unfinished checkout is an orphan of a crash.
      // Settled in the background so an unreachable dependency does not block start-up.
      void recovery.sweep(0);
      recovery.startPeriodic();
    },
    async stop() {
      await recovery.stop();
      feed.close();
      await relay.stop();
      open = false;
      database.close();
    },
  };
}
