// How the order module is built and wired, for src/entrypoints/ (and tests) alone: its factory.
// Other modules and the dashboard use index.ts, the contract.
import type { SQL } from "bun";
import { join } from "node:path";
import type { CheckoutSweep } from "../../platform/config";
import type { ModuleDeps, ShopModule } from "../../platform/module";
import { lockKey, type SessionLocks } from "../../platform/db/postgres/session-locks";
import { conflict } from "../../platform/errors";
import { openModuleKit } from "../../platform/module-kit";
import { postgresRateLimiters } from "../../platform/throttling/postgres-rate-limiter";
import type { CartApi } from "../cart";
import type { CatalogApi } from "../catalog";
import type { PaymentApi } from "../payment";
import { Fulfilment } from "./fulfilling/fulfilment";
import { PostgresOrderRepository } from "./order-repository.postgres";
import { SqliteOrderRepository } from "./order-repository.sqlite";
import { CheckoutSaga } from "./placing/checkout-saga";
import { DeclinedPaymentThrottle, type DeclinedPaymentLimits } from "./placing/declined-payment-throttle";
import { CheckoutIdempotency } from "./placing/idempotency";
import { orderRoutes } from "./routes";
import * as schema from "./schema";
import { OrderCancellation } from "./settling/cancel-order";
import { PaidOrderCancellation } from "./settling/cancel-paid-order";
import { postgresCheckoutClaims, singleProcessClaims } from "./settling/checkout-claims";
import { CheckoutRecovery } from "./settling/checkout-recovery";
import { lateChargeRefund } from "./settling/late-charge-refund";
import { OrderLiveFeed } from "./viewing/order-live-feed";
import { OrderQueries } from "./viewing/order-queries";
import { PostgresOrderStatistics } from "./viewing/order-statistics.postgres";
import { SqliteOrderStatistics } from "./viewing/order-statistics.sqlite";

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
  /** The periodic recovery sweep: how often, and how long a checkout must be untouched to be settled. */
  checkoutSweep: CheckoutSweep;
}

export function createOrderModule(deps: OrderModuleDeps): OrderModule {
  const kit = openModuleKit(deps, { name: "order", schema, migrations: join(import.meta.dir, "migrations"), raisesEvents: true });
  const { cart, catalog, payments } = deps;
  const log = kit.log;
  const [orders, statistics] =
    kit.dialect === "postgres"
      ? [new PostgresOrderRepository(kit.sql, kit.units), new PostgresOrderStatistics(kit.sql)]
      : [new SqliteOrderRepository(kit.database.sqlite, kit.units), new SqliteOrderStatistics(kit.database.sqlite)];
  // Replicas share PostgreSQL: a checkout is moved by one process at a time (checkout-claims.ts).
  const claims = kit.dialect === "postgres" ? postgresCheckoutClaims(kit.locks) : singleProcessClaims;
  const queries = new OrderQueries(orders, statistics);
  const saga = new CheckoutSaga({ orders, cart, catalog, payments, idempotency: new CheckoutIdempotency(deps.secret), claims, log });
  const paidCancellation = new PaidOrderCancellation({ orders, catalog, payments });
  const recovery = new CheckoutRecovery({ orders, cart, catalog, payments, saga, paidCancellation, claims, log });
  const cancellation = new OrderCancellation({ queries, recovery, paidCancellation });
  const fulfilment = new Fulfilment({ orders, queries, cancellation });
  const feed = new OrderLiveFeed();

  deps.bus.subscribe(feed.subscription(deps.liveFeedGroup ?? "order-live"));
  deps.bus.subscribe(lateChargeRefund(orders, payments, log));

  const background = {
    start() {
      // Nothing of this process is in flight yet: every unfinished checkout nobody claims is an orphan
      // of a crash (of this process, or of a replica: its claims died with it); those other replicas
      // are running hold their claim and are skipped. In the background: a dependency down must not block start-up.
      void recovery.sweep(0);
      recovery.startPeriodic(deps.checkoutSweep.everyMs, deps.checkoutSweep.afterMs);
    },
    async stop() {
      await recovery.stop();
      feed.close();
    },
  };
  // On PostgreSQL the declines are counted in the order database, so every order replica sees them.
  const declines = new DeclinedPaymentThrottle(kit.dialect === "postgres" ? { ...deps.declinedPayments, ...sharedDeclines(kit.sql, kit.locks) } : deps.declinedPayments);
  return kit.lifecycle({
    routes: orderRoutes({ queries, saga, cancellation, fulfilment, feed, declines }, deps.tokens),
    background,
    drain: () => feed.close(),
  });
}

/**
 * The card-testing throttle across order replicas on PostgreSQL: the counts in the order database,
 * and an account's attempts one at a time across processes (its lock, polled every 20 ms; an
 * account whose attempt runs elsewhere for over 30 s gets a 409 to retry).
 */
function sharedDeclines(sql: SQL, locks: SessionLocks): Pick<DeclinedPaymentLimits, "limiterFor" | "acrossReplicas"> {
  return {
    limiterFor: postgresRateLimiters(sql),
    acrossReplicas: (userId, work) =>
      locks.inTurn(lockKey("declines", userId), work, { waitMs: 30_000, pollMs: 20, busy: () => conflict("CHECKOUT_IN_PROGRESS", "Another checkout of this account is still running; try again in a moment") }),
  };
}
