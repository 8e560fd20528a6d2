import { lockKey, type Claimed, type SessionLocks } from "../../../platform/db/postgres/session-locks";

/**
 * Who may move a half-done checkout: the rule across replicas. A checkout is run by one process
 * at a time, whether it is the saga of the request that placed it (or of a retry), recovery
 * settling it, or a cancellation settling it first. Within a process the saga's in-flight map
 * (CheckoutSaga's `joined` and `settleAlone`) keeps duplicates together; across processes each holds the order's
 * claim while it works, and another process that finds the claim taken leaves the order alone
 * (the saga answers PENDING, recovery skips it, a cancellation answers 409). A process that dies
 * loses its claims at once, so the next sweep of any replica settles its orders.
 */
export interface CheckoutClaims {
  /** Runs `work` holding the order's claim; `{ ran: false }`, without running it, when another process holds it. */
  exclusive<T>(orderId: string, work: () => Promise<T>): Promise<Claimed<T>>;
}

/** SQLite: one process per database file, so nothing to claim across processes. */
export const singleProcessClaims: CheckoutClaims = {
  exclusive: async (_orderId, work) => ({ ran: true, value: await work() }),
};

/**
 * PostgreSQL: the order's session-level advisory lock on the module's lock connection (released
 * by the server if the process dies). Session locks are re-entrant within a session, so the claim
 * only excludes other processes, which is what it is for; inside one, the saga's in-flight map does the rest.
 */
export function postgresCheckoutClaims(locks: SessionLocks): CheckoutClaims {
  return { exclusive: (orderId, work) => locks.whileHolding(lockKey("checkout", orderId), work) };
}
