import type { Database } from "bun:sqlite";
import { SqliteTable } from "../../platform/db/table.sqlite";
import { keep } from "../../platform/db/unit-of-work";
import type { SqliteUnitOfWork } from "../../platform/db/unit-of-work.sqlite";
import type { Payment } from "./contract";
import { paymentEvents } from "./payment-events";
import type { PaymentRepository } from "./payment-repository";
import { payments } from "./schema";

const table = new SqliteTable(payments);
/** What can change once a payment exists. */
const CHANGING = ["status", "declineReason", "updatedAt"] as const;

/** PaymentRepository on bun:sqlite: statements prepared once from the schema (every checkout runs them). */
export class SqlitePaymentRepository implements PaymentRepository {
  private readonly selectByOrder;
  private readonly selectById;
  private readonly selectOfOrder;
  private readonly selectLatest;
  private readonly insert;
  private readonly save;

  constructor(
    sqlite: Database,
    private readonly units: SqliteUnitOfWork,
  ) {
    const all = `SELECT ${table.select()} FROM ${table.name}`;
    this.selectByOrder = sqlite.query<Payment, [string]>(`${all} WHERE ${table.column("orderId")} = ?`);
    this.selectById = sqlite.query<Payment, [string]>(`${all} WHERE ${table.column("id")} = ?`);
    this.selectOfOrder = sqlite.query<Payment, [string]>(`${all} WHERE ${table.column("orderId")} = ? ORDER BY ${table.column("id")} DESC`);
    this.selectLatest = sqlite.query<Payment, [string, number]>(`${all} WHERE ${table.column("userId")} = ? ORDER BY ${table.column("id")} DESC LIMIT ?`);
    this.insert = sqlite.query(table.insert());
    this.save = sqlite.query(`UPDATE ${table.name} SET ${table.assign(CHANGING)} WHERE ${table.column("id")} = $id`);
  }

  chargeOnce(orderId: string, create: () => Payment): Promise<{ payment: Payment; created: boolean }> {
    return this.units.run<{ payment: Payment; created: boolean }>(() => {
      const existing = this.selectByOrder.get(orderId);
      if (existing) return keep({ payment: existing, created: false });
      const payment = create();
      this.insert.run(table.params(payment, table.keys()));
      return keep({ payment, created: true }, paymentEvents(undefined, payment));
    });
  }

  update(orderId: string, change: (current: Payment | undefined) => Payment | null): Promise<Payment> {
    return this.units.run(() => {
      const current = this.selectByOrder.get(orderId) ?? undefined;
      const next = change(current);
      if (!next) {
        if (!current) throw new Error(`no payment for order ${orderId} to leave unchanged`);
        return keep(current);
      }
      this.save.run(table.params(next, ["id", ...CHANGING]));
      return keep(next, paymentEvents(current, next));
    });
  }

  async byOrder(orderId: string): Promise<Payment | undefined> {
    return this.selectByOrder.get(orderId) ?? undefined;
  }

  async byId(id: string): Promise<Payment | undefined> {
    return this.selectById.get(id) ?? undefined;
  }

  async ofOrder(orderId: string): Promise<Payment[]> {
    return this.selectOfOrder.all(orderId);
  }

  async latestOf(userId: string, limit: number): Promise<Payment[]> {
    return this.selectLatest.all(userId, limit);
  }
}
