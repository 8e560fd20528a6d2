import type { Payment } from "./contract";

/**
 * The payments table, reached one way: units that write a payment together with the events its
 * change raises (payment-events.ts), and reads. Decisions that need the current row inside the
 * unit are synchronous callbacks. SQLite: payment-repository.sqlite.ts.
 */
export interface PaymentRepository {
  /**
   * The order's payment; when it has none, the one `create` makes, written with its event. One
   * payment per order whatever the retries: the order id is unique in the table.
   */
  chargeOnce(orderId: string, create: () => Payment): Promise<{ payment: Payment; created: boolean }>;
  /**
   * Re-reads the order's payment inside the unit and writes what `change` makes of it; null from
   * `change` writes nothing (it throws when there is no payment it can leave as it is).
   */
  update(orderId: string, change: (current: Payment | undefined) => Payment | null): Promise<Payment>;
  byOrder(orderId: string): Promise<Payment | undefined>;
  byId(id: string): Promise<Payment | undefined>;
  /** An order's payments (one, by the unique index), newest first. */
  ofOrder(orderId: string): Promise<Payment[]>;
  /** A customer's newest payments. */
  latestOf(userId: string, limit: number): Promise<Payment[]>;
}
