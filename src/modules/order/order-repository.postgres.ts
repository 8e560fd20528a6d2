import type { SQL } from "bun";
import { containsPattern } from "../../platform/db/contains-text";
import { PostgresTable, type PgColumnKey } from "../../platform/db/postgres/table.postgres";
import { keep, undo } from "../../platform/db/unit-of-work";
import type { PostgresUnitOfWork } from "../../platform/db/unit-of-work.postgres";
import { nowIso } from "../../platform/ids";
import { ORDER_STATUSES, type Order, type OrderSort, type OrderStatus, type SortDirection } from "./contract";
import { orderEvents } from "./order-events";
import { cancellationUnderWay, type IdempotencyRecord, type OrderListQuery, type OrderRepository, type OrderStanding, type PlacedResult } from "./order-repository";
import { idempotencyKeys, orders } from "./postgres-schema";
import type { OrderListCursor } from "./viewing/order-list-cursor";

const o = new PostgresTable(orders);
const k = new PostgresTable(idempotencyKeys);
type OrderKey = PgColumnKey<typeof orders>;

const ORDER: OrderKey[] = ["id", "userId", "username", "status", "items", "totalCents", "currency", "paymentId", "failureReason", "history", "createdAt", "updatedAt"];
const STANDING: OrderKey[] = ["id", "status", "paymentId"];
const CHANGING: OrderKey[] = ["status", "paymentId", "failureReason", "history", "updatedAt"];
/** Ends without payment: the order lets go of its cart revision (postgres-schema.ts, orders_live_cart_revision). */
const endsUnpaid = (status: OrderStatus) => status === "CANCELLED" || status === "PAYMENT_FAILED";

const BY_ID = `SELECT ${o.select(ORDER)} FROM ${o.name} WHERE ${o.column("id")} = $1`;
const CANCEL_REQUESTED_OF = `SELECT ${o.select(["cancelRequestedAt"])} FROM ${o.name} WHERE ${o.column("id")} = $1`;
const STANDING_OF = `SELECT ${o.select(STANDING)} FROM ${o.name} WHERE ${o.column("id")} = $1`;
const INSERT_ORDER = `${o.insert([...ORDER, "cartRevision"])} ON CONFLICT DO NOTHING`;
const LIVE_AT_REVISION = `SELECT ${o.select(STANDING)} FROM ${o.name} WHERE ${o.column("userId")} = $1 AND ${o.column("cartRevision")} = $2`;
const SAVE = `UPDATE ${o.name} SET ${o.assign(CHANGING, 2)} WHERE ${o.column("id")} = $1`;
const SAVE_ENDED_UNPAID = `UPDATE ${o.name} SET ${o.assign(CHANGING, 2)}, ${o.column("cartRevision")} = NULL WHERE ${o.column("id")} = $1`;
const UNFINISHED =
  `SELECT ${o.select(ORDER)} FROM ${o.name} WHERE ${o.column("updatedAt")} < $1 AND (${o.column("status")} = 'PENDING' OR ` +
  `(${o.column("status")} = 'PAID' AND ${o.column("cancelRequestedAt")} IS NOT NULL)) ORDER BY ${o.column("id")} LIMIT $2`;
const KEY_OF = `SELECT ${k.select()} FROM ${k.name} WHERE ${k.column("userId")} = $1 AND ${k.column("key")} = $2`;
const INSERT_KEY = `${k.insert()} ON CONFLICT DO NOTHING`;

/**
 * OrderRepository on PostgreSQL (Bun SQL), the twin of order-repository.sqlite.ts. The same unique
 * constraints decide: an Idempotency-Key per customer (primary key) and one live order per cart
 * revision (orders_live_cart_revision); ON CONFLICT DO NOTHING waits for a concurrent holder to
 * commit or roll back, so the refusal names an order that exists. A unit that changes an order
 * locks its row first (FOR UPDATE): two writers never overwrite each other.
 */
export class PostgresOrderRepository implements OrderRepository {
  constructor(
    private readonly sql: SQL,
    private readonly units: PostgresUnitOfWork,
  ) {}

  async get(id: string): Promise<Order | undefined> {
    const [row] = await this.sql.unsafe(BY_ID, [id]);
    return row;
  }

  async standing(id: string): Promise<OrderStanding | undefined> {
    const [row] = await this.sql.unsafe(STANDING_OF, [id]);
    return row;
  }

  placePending(order: Order, cartRevision: number, key: IdempotencyRecord): Promise<PlacedResult> {
    return this.units.run<PlacedResult>(async (tx) => {
      if ((await tx.unsafe(INSERT_KEY, k.values(key, k.keys()))).count === 0) return keep({ placed: false, keyTaken: true });
      const inserted = (await tx.unsafe(INSERT_ORDER, o.values({ ...order, cartRevision }, [...ORDER, "cartRevision"]))).count > 0;
      if (!inserted) {
        const [heldBy] = await tx.unsafe(LIVE_AT_REVISION, [order.userId, cartRevision]);
        // Another live order holds the revision: the key's write goes back with this unit.
        return undo({ placed: false, heldBy });
      }
      return keep({ placed: true }, orderEvents(undefined, order));
    });
  }

  update(id: string, change: (current: Order) => Order | null): Promise<Order> {
    return this.changeRow(id, change, false);
  }

  updateUnlessCancelling(id: string, change: (current: Order) => Order | null): Promise<Order> {
    return this.changeRow(id, change, true);
  }

  /** The row locked first (FOR UPDATE): the intent read here is the one the write below sees. */
  private changeRow(id: string, change: (current: Order) => Order | null, refuseWhileCancelling: boolean): Promise<Order> {
    return this.units.run(async (tx) => {
      const [current] = await tx.unsafe(`${BY_ID} FOR UPDATE`, [id]);
      if (!current) throw new Error(`order ${id} vanished`);
      if (refuseWhileCancelling && (await tx.unsafe(CANCEL_REQUESTED_OF, [id]))[0]?.cancelRequestedAt) throw cancellationUnderWay(current);
      const next = change(current);
      if (!next) return keep(current as Order);
      await tx.unsafe(endsUnpaid(next.status) ? SAVE_ENDED_UNPAID : SAVE, o.values(next, ["id", ...CHANGING]));
      return keep(next, orderEvents(current, next));
    });
  }

  markCancelRequested(id: string, check: (current: Order) => void): Promise<Order> {
    return this.units.run(async (tx) => {
      const [current] = await tx.unsafe(`${BY_ID} FOR UPDATE`, [id]);
      if (!current) throw new Error(`order ${id} vanished`);
      check(current);
      await tx.unsafe(`UPDATE ${o.name} SET ${o.column("cancelRequestedAt")} = $2 WHERE ${o.column("id")} = $1`, [id, nowIso()]);
      return keep(current as Order);
    });
  }

  async list(query: OrderListQuery): Promise<{ items: Order[]; hasMore: boolean }> {
    const sort = query.sort ?? "createdAt";
    const dir = query.dir ?? "desc";
    const keys = sortKeys(sort, dir);
    const params: unknown[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    const filters: string[] = [];
    if (query.userId !== undefined) filters.push(`${o.column("userId")} = ${param(query.userId)}`);
    if (query.status !== undefined) filters.push(`${o.column("status")} = ${param(query.status)}`);
    if (query.from !== undefined) filters.push(`${o.column("createdAt")} >= ${param(query.from)}::timestamptz`);
    if (query.to !== undefined) filters.push(`${o.column("createdAt")} < ${param(query.to)}::timestamptz`);
    if (query.q !== undefined) {
      const pattern = param(containsPattern(query.q));
      filters.push(`(${o.column("id")} ILIKE ${pattern} ESCAPE '\\' OR ${o.column("username")} ILIKE ${pattern} ESCAPE '\\')`);
    }
    if (query.after) {
      // Rows strictly after the cursor in this key order: (k1 > v1) OR (k1 = v1 AND k2 > v2) OR ...
      const values = keys.map((key) => param(key.value(query.after!)));
      const branches = keys.map((key, i) => {
        const equalBefore = keys.slice(0, i).map((k2, j) => `${k2.expression} = ${values[j]}`);
        return `(${[...equalBefore, `${key.expression} ${key.dir === "desc" ? "<" : ">"} ${values[i]}`].join(" AND ")})`;
      });
      filters.push(`(${branches.join(" OR ")})`);
    }
    const where = filters.length ? `WHERE ${filters.join(" AND ")}` : "";
    const orderBy = keys.map((key) => `${key.expression} ${key.dir === "desc" ? "DESC" : "ASC"}`).join(", ");
    const rows: Order[] = await this.sql.unsafe(`SELECT ${o.select(ORDER)} FROM ${o.name} ${where} ORDER BY ${orderBy} LIMIT ${param(query.limit + 1)}`, params);
    return { items: rows.slice(0, query.limit), hasMore: rows.length > query.limit };
  }

  async unfinished(olderThan: string, limit: number): Promise<Order[]> {
    return this.sql.unsafe(UNFINISHED, [olderThan, limit]);
  }

  async findKey(userId: string, key: string): Promise<IdempotencyRecord | undefined> {
    const [row] = await this.sql.unsafe(KEY_OF, [userId, key]);
    return row;
  }

  writesOnDisk(): Promise<void> {
    return this.units.writesOnDisk();
  }
}

interface SortKey {
  expression: string;
  dir: SortDirection;
  value: (cursor: OrderListCursor) => string | number;
}

const statusRank = `(CASE ${o.column("status")} ${ORDER_STATUSES.map((s, i) => `WHEN '${s}' THEN ${i}`).join(" ")} END)`;

/** The same keys as the SQLite repository's (see there): the last one unique, the id, so keyset paging never skips or repeats. */
function sortKeys(sort: OrderSort, dir: SortDirection): SortKey[] {
  const newestFirst: SortKey = { expression: o.column("id"), dir: "desc", value: (c) => c.id };
  switch (sort) {
    case "createdAt":
      return [{ expression: o.column("id"), dir, value: (c) => c.id }];
    case "totalCents":
      return [{ expression: o.column("currency"), dir: "asc", value: (c) => c.currency! }, { expression: o.column("totalCents"), dir, value: (c) => c.totalCents! }, newestFirst];
    case "status":
      return [{ expression: statusRank, dir, value: (c) => ORDER_STATUSES.indexOf(c.status!) }, newestFirst];
  }
}
