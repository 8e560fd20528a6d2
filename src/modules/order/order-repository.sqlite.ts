import type { Database, Statement } from "bun:sqlite";
import { containsPattern } from "../../platform/db/contains-text";
import { SqliteTable, type Bindings, type ColumnKey } from "../../platform/db/table.sqlite";
import { keep, undo } from "../../platform/db/unit-of-work";
import type { SqliteUnitOfWork } from "../../platform/db/unit-of-work.sqlite";
import { nowIso } from "../../platform/ids";
import { ORDER_STATUSES, type Order, type OrderSort, type OrderStatus, type SortDirection } from "./contract";
import { orderEvents } from "./order-events";
import { cancellationUnderWay, type IdempotencyRecord, type OrderListQuery, type OrderRepository, type OrderStanding, type PlacedResult } from "./order-repository";
import { idempotencyKeys, orders } from "./schema";
import type { OrderListCursor } from "./viewing/order-list-cursor";

const orderTable = new SqliteTable(orders);
const keyTable = new SqliteTable(idempotencyKeys);
type OrderKey = ColumnKey<typeof orders>;

/** The columns that make an Order (the table also keeps the cancellation's intent and the cart revision). */
const ORDER: OrderKey[] = ["id", "userId", "username", "status", "items", "totalCents", "currency", "paymentId", "failureReason", "history", "createdAt", "updatedAt"];
const STANDING: OrderKey[] = ["id", "status", "paymentId"];
/**
 * What can change after checkout. SQLite rewrites the entry of every index whose columns are SET,
 * same value or not: the owner, lines, total and creation time are never written again.
 */
const CHANGING: OrderKey[] = ["status", "paymentId", "failureReason", "history", "updatedAt"];
/** Ends without payment: the order lets go of its cart revision (schema.ts, orders_live_cart_revision). */
const endsUnpaid = (status: OrderStatus) => status === "CANCELLED" || status === "PAYMENT_FAILED";

type Params = Bindings;

/**
 * OrderRepository on bun:sqlite. The checkout's statements are prepared once, from the schema
 * (drizzle's row mapping cost more than the queries once the server ran many shapes through it);
 * the operators' list, one statement per combination of filters and sort.
 */
export class SqliteOrderRepository implements OrderRepository {
  private readonly byId;
  private readonly standingOf;
  private readonly insertOrder;
  private readonly liveAtRevision;
  private readonly save;
  private readonly saveEndedUnpaid;
  private readonly setCancelRequested;
  private readonly cancelRequestedOf;
  private readonly selectUnfinished;
  private readonly keyOf;
  private readonly insertKey;
  private readonly listQueries = new Map<string, Statement<Order, [Params]>>();

  constructor(
    private readonly sqlite: Database,
    private readonly units: SqliteUnitOfWork,
  ) {
    const o = orderTable;
    const byId = `${o.column("id")} = ?`;
    this.byId = sqlite.query<Order, [string]>(`SELECT ${o.select(ORDER)} FROM ${o.name} WHERE ${byId}`);
    this.standingOf = sqlite.query<OrderStanding, [string]>(`SELECT ${o.select(STANDING)} FROM ${o.name} WHERE ${byId}`);
    // DO NOTHING on the one conflict possible (ids are fresh): a live order holds this cart revision.
    this.insertOrder = sqlite.query<never, [Params]>(`${o.insert([...ORDER, "cartRevision"])} ON CONFLICT DO NOTHING`);
    this.liveAtRevision = sqlite.query<OrderStanding, [string, number]>(
      `SELECT ${o.select(STANDING)} FROM ${o.name} WHERE ${o.column("userId")} = ? AND ${o.column("cartRevision")} = ?`,
    );
    const whereId = `WHERE ${o.column("id")} = $id`;
    this.save = sqlite.query<never, [Params]>(`UPDATE ${o.name} SET ${o.assign(CHANGING)} ${whereId}`);
    // The same, releasing the cart revision: only on the unpaid ends, so the PAID move leaves that index alone.
    this.saveEndedUnpaid = sqlite.query<never, [Params]>(`UPDATE ${o.name} SET ${o.assign(CHANGING)}, ${o.column("cartRevision")} = NULL ${whereId}`);
    this.setCancelRequested = sqlite.query<never, [Params]>(`UPDATE ${o.name} SET ${o.assign(["cancelRequestedAt"])} ${whereId}`);
    this.cancelRequestedOf = sqlite.query<{ cancelRequestedAt: string | null }, [string]>(`SELECT ${o.select(["cancelRequestedAt"])} FROM ${o.name} WHERE ${byId}`);
    this.selectUnfinished = sqlite.query<Order, [string, number]>(
      `SELECT ${o.select(ORDER)} FROM ${o.name} WHERE ${o.column("updatedAt")} < ? AND (${o.column("status")} = 'PENDING' OR ` +
        `(${o.column("status")} = 'PAID' AND ${o.column("cancelRequestedAt")} IS NOT NULL)) ORDER BY ${o.column("id")} LIMIT ?`,
    );
    const k = keyTable;
    this.keyOf = sqlite.query<IdempotencyRecord, [string, string]>(`SELECT ${k.select()} FROM ${k.name} WHERE ${k.column("userId")} = ? AND ${k.column("key")} = ?`);
    this.insertKey = sqlite.query<never, [Params]>(`${k.insert()} ON CONFLICT DO NOTHING`);
  }

  async get(id: string): Promise<Order | undefined> {
    return this.getNow(id);
  }

  async standing(id: string): Promise<OrderStanding | undefined> {
    return this.standingOf.get(id) ?? undefined;
  }

  placePending(order: Order, cartRevision: number, key: IdempotencyRecord): Promise<PlacedResult> {
    return this.units.run<PlacedResult>(() => {
      if (this.insertKey.run(keyTable.params(key, keyTable.keys())).changes === 0) return keep({ placed: false, keyTaken: true });
      const inserted = this.insertOrder.run(orderTable.params({ ...order, cartRevision }, [...ORDER, "cartRevision"])).changes > 0;
      // Another live order holds the revision: the key's write goes back with this unit.
      if (!inserted) return undo({ placed: false, heldBy: this.liveAtRevision.get(order.userId, cartRevision) ?? undefined });
      return keep({ placed: true }, orderEvents(undefined, order));
    });
  }

  update(id: string, change: (current: Order) => Order | null): Promise<Order> {
    return this.units.run(() => {
      const current = this.getNow(id);
      if (!current) throw new Error(`order ${id} vanished`);
      const next = change(current);
      if (!next) return keep(current);
      (endsUnpaid(next.status) ? this.saveEndedUnpaid : this.save).run(orderTable.params(next, ["id", ...CHANGING]));
      return keep(next, orderEvents(current, next));
    });
  }

  markCancelRequested(id: string, check: (current: Order) => void): Promise<Order> {
    return this.units.run(() => {
      const current = this.getNow(id);
      if (!current) throw new Error(`order ${id} vanished`);
      check(current);
      this.setCancelRequested.run({ id, cancelRequestedAt: nowIso() });
      return keep(current);
    });
  }

  updateUnlessCancelling(id: string, change: (current: Order) => Order | null): Promise<Order> {
    // The unit is synchronous: the intent read here is the one the write below sees.
    return this.update(id, (current) => {
      if (this.cancelRequestedOf.get(id)?.cancelRequestedAt) throw cancellationUnderWay(current);
      return change(current);
    });
  }

  async list(query: OrderListQuery): Promise<{ items: Order[]; hasMore: boolean }> {
    const sort = query.sort ?? "createdAt";
    const dir = query.dir ?? "desc";
    const shape = [sort, dir, ...(["userId", "status", "from", "to", "q", "after"] as const).map((f) => (query[f] === undefined ? "-" : f))].join(" ");
    let statement = this.listQueries.get(shape);
    if (!statement) this.listQueries.set(shape, (statement = this.prepareList(query, sort, dir)));
    const params: Params = { limit: query.limit + 1 };
    if (query.userId !== undefined) params.userId = query.userId;
    if (query.status !== undefined) params.status = query.status;
    if (query.from !== undefined) params.from = query.from;
    if (query.to !== undefined) params.to = query.to;
    if (query.q !== undefined) params.pattern = containsPattern(query.q);
    if (query.after) sortKeys(sort, dir).forEach((key, i) => (params[`after${i}`] = key.value(query.after!)));
    const rows = statement.all(params);
    return { items: rows.slice(0, query.limit).map((row) => orderTable.fromRow(row)), hasMore: rows.length > query.limit };
  }

  private prepareList(query: OrderListQuery, sort: OrderSort, dir: SortDirection) {
    const o = orderTable;
    const keys = sortKeys(sort, dir);
    const filters: string[] = [];
    if (query.userId !== undefined) filters.push(`${o.column("userId")} = $userId`);
    if (query.status !== undefined) filters.push(`${o.column("status")} = $status`);
    if (query.from !== undefined) filters.push(`${o.column("createdAt")} >= $from`);
    if (query.to !== undefined) filters.push(`${o.column("createdAt")} < $to`);
    if (query.q !== undefined) filters.push(`(${o.column("id")} LIKE $pattern ESCAPE '\\' OR ${o.column("username")} LIKE $pattern ESCAPE '\\')`);
    if (query.after) {
      // Rows strictly after the cursor in this key order: (k1 > v1) OR (k1 = v1 AND k2 > v2) OR ...
      const branches = keys.map((key, i) => {
        const equalBefore = keys.slice(0, i).map((k, j) => `${k.expression} = $after${j}`);
        return `(${[...equalBefore, `${key.expression} ${key.dir === "desc" ? "<" : ">"} $after${i}`].join(" AND ")})`;
      });
      filters.push(`(${branches.join(" OR ")})`);
    }
    const where = filters.length ? `WHERE ${filters.join(" AND ")}` : "";
    const orderBy = keys.map((k) => `${k.expression} ${k.dir === "desc" ? "DESC" : "ASC"}`).join(", ");
    return this.sqlite.query<Order, [Params]>(`SELECT ${o.select(ORDER)} FROM ${o.name} ${where} ORDER BY ${orderBy} LIMIT $limit`);
  }

  async unfinished(olderThan: string, limit: number): Promise<Order[]> {
    return this.selectUnfinished.all(olderThan, limit).map((row) => orderTable.fromRow(row));
  }

  async findKey(userId: string, key: string): Promise<IdempotencyRecord | undefined> {
    return this.keyOf.get(userId, key) ?? undefined;
  }

  writesOnDisk(): Promise<void> {
    return this.units.writesOnDisk();
  }

  private getNow(id: string): Order | undefined {
    const row = this.byId.get(id);
    return row ? orderTable.fromRow(row) : undefined;
  }
}

interface SortKey {
  expression: string;
  dir: SortDirection;
  value: (cursor: OrderListCursor) => string | number;
}

/** Statuses sort in lifecycle order, not alphabetically. */
const statusRank = `CASE ${orderTable.column("status")} ${ORDER_STATUSES.map((s, i) => `WHEN '${s}' THEN ${i}`).join(" ")} END`;

/**
 * The keys each sort orders by, the last one unique (the id) so that keyset paging never skips
 * or repeats a row. Time is the id's order (UUIDv7s are made in creation order); totals group by
 * currency first, as amounts in different currencies do not compare; within a status or an
 * amount the newest come first.
 */
function sortKeys(sort: OrderSort, dir: SortDirection): SortKey[] {
  const o = orderTable;
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
