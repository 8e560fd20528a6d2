import { and, asc, desc, eq, gte, isNotNull, lt, or, sql, type SQL, type SQLWrapper } from "drizzle-orm";
import type { Database } from "bun:sqlite";
import { containsPattern, matchesAny } from "../../platform/db/contains-text";
import type { BunSQLiteDatabase } from "drizzle-orm/bun-sqlite";
import { ORDER_STATUSES, type Order, type OrderSort, type OrderStatus, type SortDirection, type StatsRange } from "./contract";
import type { OrderListCursor } from "./order-list-cursor";
import { OrderStatistics } from "./order-statistics";
import * as schema from "./schema";

const { orders } = schema;
type Row = typeof orders.$inferSelect;

const toOrder = ({ cancelRequestedAt: _c, cartRevision: _r, ...row }: Row): Order => row;

export interface OrderListQuery {
  userId?: string;
  status?: OrderStatus;
  q?: string;
  limit: number;
  /** Default: createdAt, desc. */
  sort?: OrderSort;
  dir?: SortDirection;
  /** Placed at or after / before these instants (ISO-8601 UTC, as stored). */
  from?: string;
  to?: string;
  /** Continue after this row (its sort must be the query's). */
  after?: OrderListCursor;
}

/** Statuses sort in lifecycle order, not alphabetically. */
const statusRank = sql.raw(`CASE status ${ORDER_STATUSES.map((s, i) => `WHEN '${s}' THEN ${i}`).join(" ")} END`);

interface SortKey {
  column: SQLWrapper;
  dir: SortDirection;
  value: (cursor: OrderListCursor) => unknown;
}

/**
 * The keys each sort orders by, the last one unique (the id) so that keyset paging never skips
 * or repeats a row. Time is the id's order (UUIDv7s are made in creation order); totals group by
 * currency first, as amounts in different currencies do not compare; within a status or an
 * amount the newest come first.
 */
function sortKeys(sort: OrderSort, dir: SortDirection): SortKey[] {
  const newestFirst: SortKey = { column: orders.id, dir: "desc", value: (c) => c.id };
  switch (sort) {
    case "createdAt":
      return [{ column: orders.id, dir, value: (c) => c.id }];
    case "totalCents":
      return [{ column: orders.currency, dir: "asc", value: (c) => c.currency }, { column: orders.totalCents, dir, value: (c) => c.totalCents }, newestFirst];
    case "status":
      return [{ column: statusRank, dir, value: (c) => ORDER_STATUSES.indexOf(c.status!) }, newestFirst];
  }
}

/** Rows strictly after the cursor in this key order: (k1 > v1) OR (k1 = v1 AND k2 > v2) OR ... */
function after(keys: SortKey[], cursor: OrderListCursor): SQL {
  const branches = keys.map((key, i) => {
    const equalBefore = keys.slice(0, i).map((k) => sql`${k.column} = ${k.value(cursor)}`);
    const beyond = key.dir === "desc" ? sql`${key.column} < ${key.value(cursor)}` : sql`${key.column} > ${key.value(cursor)}`;
    return and(...equalBefore, beyond)!;
  });
  return or(...branches)!;
}

/** Where an order stands, without its lines or history. */
export type OrderStanding = Pick<Order, "id" | "status" | "paymentId">;

export interface IdempotencyKey {
  requestHash: string;
  orderId: string;
}

const ORDER_COLUMNS =
  "id, user_id AS userId, username, status, items, total_cents AS totalCents, currency, payment_id AS paymentId, " +
  "failure_reason AS failureReason, history, created_at AS createdAt, updated_at AS updatedAt";
type OrderRow = Omit<Order, "items" | "history"> & { items: string; history: string };
type OrderValues = [string, string, string, string, string, number, string, string | null, string | null, string, string, string, number];
type ChangingValues = [string, string, string | null, string | null, string, string];

const fromRow = (row: OrderRow): Order => ({ ...row, items: JSON.parse(row.items), history: JSON.parse(row.history) });
const toValues = (o: Order, cartRevision: number): OrderValues => [
  o.id, o.userId, o.username, o.status, JSON.stringify(o.items), o.totalCents, o.currency,
  o.paymentId, o.failureReason, JSON.stringify(o.history), o.createdAt, o.updatedAt, cartRevision,
];
/** Ends without payment: the order lets go of its cart revision (schema.ts, orders_live_cart_revision). */
const endsUnpaid = (status: OrderStatus) => status === "CANCELLED" || status === "PAYMENT_FAILED";

/**
 * SQL for orders and idempotency keys. Synchronous, to compose inside one transaction; the
 * checkout's queries are prepared once (building a drizzle query costs more than running it).
 */
export class OrderRepository {
  private readonly byId;
  private readonly standingOf;
  private readonly insertOrder;
  private readonly liveAtRevision;
  private readonly updateOrder;
  private readonly updateEndedUnpaid;
  private readonly keyOf;
  private readonly insertKey;
  private readonly statistics: OrderStatistics;

  constructor(
    private readonly db: BunSQLiteDatabase<typeof schema>,
    sqlite: Database,
  ) {
    // The checkout's statements are bun:sqlite's own, prepared once: drizzle's row mapping cost
    // more than the queries themselves once the server ran many shapes through it.
    this.byId = sqlite.query<OrderRow, [string]>(`SELECT ${ORDER_COLUMNS} FROM orders WHERE id = ?`);
    this.standingOf = sqlite.query<OrderStanding, [string]>("SELECT id, status, payment_id AS paymentId FROM orders WHERE id = ?");
    // DO NOTHING on the one conflict possible (ids are fresh): a live order holds this cart revision.
    this.insertOrder = sqlite.query<never, OrderValues>(
      "INSERT INTO orders (id, user_id, username, status, items, total_cents, currency, payment_id, failure_reason, history, created_at, updated_at, cart_revision) " +
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) ON CONFLICT DO NOTHING",
    );
    this.liveAtRevision = sqlite.query<OrderStanding, [string, number]>(
      "SELECT id, status, payment_id AS paymentId FROM orders WHERE user_id = ? AND cart_revision = ?",
    );
    // Only what can change after checkout: SQLite rewrites the entry of every index whose columns
    // are SET, same value or not (setting user_id and created_at too cost two index pages a save).
    this.updateOrder = sqlite.query<never, ChangingValues>(
      "UPDATE orders SET status = ?2, payment_id = ?3, failure_reason = ?4, history = ?5, updated_at = ?6 WHERE id = ?1",
    );
    // The same, releasing the cart revision: only on the unpaid ends, so the PAID move leaves that index alone.
    this.updateEndedUnpaid = sqlite.query<never, ChangingValues>(
      "UPDATE orders SET status = ?2, payment_id = ?3, failure_reason = ?4, history = ?5, updated_at = ?6, cart_revision = NULL WHERE id = ?1",
    );
    this.keyOf = sqlite.query<IdempotencyKey, [string, string]>(
      "SELECT request_hash AS requestHash, order_id AS orderId FROM idempotency_keys WHERE user_id = ? AND key = ?",
    );
    this.insertKey = sqlite.query<never, [string, string, string, string, string]>(
      "INSERT INTO idempotency_keys (user_id, key, request_hash, order_id, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
    );
    this.statistics = new OrderStatistics(sqlite);
  }

  get(id: string): Order | undefined {
    const row = this.byId.get(id);
    return row ? fromRow(row) : undefined;
  }

  /** Just where an order stands (no lines or history to parse): what an event handler checks first. */
  standing(id: string): OrderStanding | undefined {
    return this.standingOf.get(id) ?? undefined;
  }

  /** Returns false, writing nothing, when another live order holds this customer's cart revision. */
  insert(order: Order, cartRevision: number): boolean {
    return this.insertOrder.run(...toValues(order, cartRevision)).changes > 0;
  }

  /** The live order that holds a customer's cart revision, if any. */
  liveOrderAt(userId: string, cartRevision: number): OrderStanding | undefined {
    return this.liveAtRevision.get(userId, cartRevision) ?? undefined;
  }

  /**
   * Writes everything that can change about an order: its owner, lines, total and creation time
   * never do. An order that ended unpaid no longer holds its cart revision.
   */
  save(order: Order): void {
    const statement = endsUnpaid(order.status) ? this.updateEndedUnpaid : this.updateOrder;
    statement.run(order.id, order.status, order.paymentId, order.failureReason, JSON.stringify(order.history), order.updatedAt);
  }

  markCancelRequested(id: string, at: string): void {
    this.db.update(orders).set({ cancelRequestedAt: at }).where(eq(orders.id, id)).run();
  }

  list(query: OrderListQuery): { items: Order[]; hasMore: boolean } {
    const keys = sortKeys(query.sort ?? "createdAt", query.dir ?? "desc");
    const filters: SQL[] = [];
    if (query.userId) filters.push(eq(orders.userId, query.userId));
    if (query.status) filters.push(eq(orders.status, query.status));
    if (query.from) filters.push(gte(orders.createdAt, query.from));
    if (query.to) filters.push(lt(orders.createdAt, query.to));
    if (query.q) filters.push(matchesAny([orders.id, orders.username], containsPattern(query.q)));
    if (query.after) filters.push(after(keys, query.after));
    const rows = this.db
      .select()
      .from(orders)
      .where(filters.length ? and(...filters) : undefined)
      .orderBy(...keys.map((k) => (k.dir === "desc" ? desc(k.column) : asc(k.column))))
      .limit(query.limit + 1)
      .all();
    return { items: rows.slice(0, query.limit).map(toOrder), hasMore: rows.length > query.limit };
  }

  /** Checkouts that did not finish: still PENDING, or PAID with a cancellation under way. */
  unfinished(olderThan: string): Order[] {
    return this.db
      .select()
      .from(orders)
      .where(
        and(
          lt(orders.updatedAt, olderThan),
          or(eq(orders.status, "PENDING"), and(eq(orders.status, "PAID"), isNotNull(orders.cancelRequestedAt))),
        ),
      )
      .orderBy(orders.id)
      .limit(500)
      .all()
      .map(toOrder);
  }

  stats(now = Date.now()) {
    return this.statistics.summary(now);
  }

  series(range: StatsRange, now = Date.now()) {
    return this.statistics.series(range, now);
  }

  failures(range: StatsRange, now = Date.now()) {
    return this.statistics.failures(range, now);
  }

  findKey(userId: string, key: string): IdempotencyKey | undefined {
    return this.keyOf.get(userId, key) ?? undefined;
  }

  /** Returns false when another request already holds this key. */
  claimKey(userId: string, key: string, requestHash: string, orderId: string, at: string): boolean {
    return this.insertKey.run(userId, key, requestHash, orderId, at).changes > 0;
  }
}

