import type { SQL } from "bun";
import { PostgresTable } from "../../platform/db/postgres/table.postgres";
import { keep } from "../../platform/db/unit-of-work";
import type { PostgresUnitOfWork } from "../../platform/db/unit-of-work.postgres";
import type { Payment } from "./contract";
import { paymentEvents } from "./payment-events";
import type { PaymentRepository } from "./payment-repository";
import { payments } from "./postgres-schema";

const t = new PostgresTable(payments);
const CHANGING = ["status", "declineReason", "updatedAt"] as const;
const ALL = `SELECT ${t.select()} FROM ${t.name}`;
const BY_ORDER = `${ALL} WHERE ${t.column("orderId")} = $1`;

/**
 * PaymentRepository on PostgreSQL (Bun SQL), the twin of payment-repository.sqlite.ts. One payment
 * per order is the unique order_id: a second charge of one order inserts nothing (ON CONFLICT DO
 * NOTHING waits for a concurrent first one to commit) and answers the payment already there.
 */
export class PostgresPaymentRepository implements PaymentRepository {
  constructor(
    private readonly sql: SQL,
    private readonly units: PostgresUnitOfWork,
  ) {}

  chargeOnce(orderId: string, create: () => Payment): Promise<{ payment: Payment; created: boolean }> {
    return this.units.run<{ payment: Payment; created: boolean }>(async (tx) => {
      const [existing] = await tx.unsafe(BY_ORDER, [orderId]);
      if (existing) return keep({ payment: existing, created: false });
      const payment = create();
      const inserted = await tx.unsafe(`${t.insert()} ON CONFLICT (${t.column("orderId")}) DO NOTHING`, t.values(payment, t.keys()));
      if (inserted.count === 0) {
        const [winner] = await tx.unsafe(BY_ORDER, [orderId]);
        return keep({ payment: winner, created: false });
      }
      return keep({ payment, created: true }, paymentEvents(undefined, payment));
    });
  }

  update(orderId: string, change: (current: Payment | undefined) => Payment | null): Promise<Payment> {
    return this.units.run(async (tx) => {
      const [current] = await tx.unsafe(`${BY_ORDER} FOR UPDATE`, [orderId]);
      const next = change(current);
      if (!next) {
        if (!current) throw new Error(`no payment for order ${orderId} to leave unchanged`);
        return keep(current as Payment);
      }
      await tx.unsafe(`UPDATE ${t.name} SET ${t.assign(CHANGING, 2)} WHERE ${t.column("id")} = $1`, t.values(next, ["id", ...CHANGING]));
      return keep(next, paymentEvents(current, next));
    });
  }

  async byOrder(orderId: string): Promise<Payment | undefined> {
    const [row] = await this.sql.unsafe(BY_ORDER, [orderId]);
    return row;
  }

  async byId(id: string): Promise<Payment | undefined> {
    const [row] = await this.sql.unsafe(`${ALL} WHERE ${t.column("id")} = $1`, [id]);
    return row;
  }

  async ofOrder(orderId: string): Promise<Payment[]> {
    return this.sql.unsafe(`${ALL} WHERE ${t.column("orderId")} = $1 ORDER BY ${t.column("id")} DESC`, [orderId]);
  }

  async latestOf(userId: string, limit: number): Promise<Payment[]> {
    return this.sql.unsafe(`${ALL} WHERE ${t.column("userId")} = $1 ORDER BY ${t.column("id")} DESC LIMIT $2`, [userId, limit]);
  }
}
