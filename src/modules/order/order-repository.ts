import { and, desc, eq, inArray, isNotNull, lt, or, sql, type SQL } from "drizzle-orm";
import { containsPattern, matchesAny } from "../../platform/db/contains-text";
import type { BunSQLiteDatabase } from "drizzle-orm/bun-sqlite";
import { ORDER_STATUSES, type Order, type OrderStats, type OrderStatus } from "./contract";
import * as schema from "./schema";

const { orders, idempotencyKeys } = schema;
type Row = typeof orders.$inferSelect;

const toOrder = ({ cancelRequestedAt: _c, ...row }: Row): Order => row;

export interface OrderListQuery {
  userId?: string;
  status?: OrderStatus;
  q?: string;
  limit: number;
  beforeId?: string;
}

const param = sql.placeholder;
/** Every column of an order as a named placeholder: `{ id: sql.placeholder("id"), ... }`. */
const orderParams = Object.fromEntries(
  ["id", "userId", "username", "status", "items", "totalCents", "currency", "paymentId", "failureReason", "history", "createdAt", "updatedAt"].map((c) => [c, param(c)]),
) as unknown as Record<keyof Order, ReturnType<typeof param>>;

const CHANGEABLE = ["status", "items", "totalCents", "currency", "paymentId", "failureReason", "history", "updatedAt"] as const;

/**
 * SQL for orders and idempotency keys. Synchronous, to compose inside one transaction; the
 * checkout's queries are prepared once (building a drizzle query costs more than running it).
 */
export class OrderRepository {
  private readonly byId;
  private readonly insertOrder;
  private readonly updateOrder;
  private readonly keyOf;
  private readonly insertKey;
  private readonly setResponse;

  constructor(private readonly db: BunSQLiteDatabase<typeof schema>) {
    this.byId = db.select().from(orders).where(eq(orders.id, param("id"))).prepare();
    this.insertOrder = db.insert(orders).values(orderParams).prepare();
    // set() takes SQL, not placeholders; JSON columns are therefore encoded by save() itself.
    this.updateOrder = db
      .update(orders)
      .set(Object.fromEntries(CHANGEABLE.map((c) => [c, sql`${param(c)}`])))
      .where(eq(orders.id, param("id")))
      .prepare();
    this.keyOf = db.select().from(idempotencyKeys).where(and(eq(idempotencyKeys.userId, param("userId")), eq(idempotencyKeys.key, param("key")))).prepare();
    this.insertKey = db
      .insert(idempotencyKeys)
      .values({ userId: param("userId"), key: param("key"), requestHash: param("requestHash"), orderId: param("orderId"), createdAt: param("at") })
      .onConflictDoNothing()
      .returning({ key: idempotencyKeys.key })
      .prepare();
    this.setResponse = db
      .update(idempotencyKeys)
      .set({ responseStatus: sql`${param("status")}` })
      .where(and(eq(idempotencyKeys.orderId, param("orderId")), sql`${idempotencyKeys.responseStatus} IS NULL`))
      .prepare();
  }

  get(id: string): Order | undefined {
    const row = this.byId.get({ id });
    return row && toOrder(row);
  }

  insert(order: Order): void {
    this.insertOrder.run({ ...order });
  }

  /** Writes everything that can change about an order. */
  save(order: Order): void {
    this.updateOrder.run({ ...order, items: JSON.stringify(order.items), history: JSON.stringify(order.history) });
  }

  markCancelRequested(id: string, at: string): void {
    this.db.update(orders).set({ cancelRequestedAt: at }).where(eq(orders.id, id)).run();
  }

  list(query: OrderListQuery): { items: Order[]; hasMore: boolean } {
    const filters: SQL[] = [];
    if (query.userId) filters.push(eq(orders.userId, query.userId));
    if (query.status) filters.push(eq(orders.status, query.status));
    if (query.beforeId) filters.push(lt(orders.id, query.beforeId));
    if (query.q) filters.push(matchesAny([orders.id, orders.username], containsPattern(query.q)));
    const rows = this.db
      .select()
      .from(orders)
      .where(filters.length ? and(...filters) : undefined)
      .orderBy(desc(orders.id))
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

  stats(now = Date.now()): OrderStats {
    const counts = Object.fromEntries(ORDER_STATUSES.map((s) => [s, 0])) as Record<OrderStatus, number>;
    for (const row of this.db.select({ status: orders.status, n: sql<number>`count(*)` }).from(orders).groupBy(orders.status).all()) {
      counts[row.status] = row.n;
    }
    const paid = this.db
      .select({ revenue: sql<number>`coalesce(sum(${orders.totalCents}), 0)`, n: sql<number>`count(*)`, currency: sql<string | null>`max(${orders.currency})` })
      .from(orders)
      .where(inArray(orders.status, ["PAID", "SHIPPED", "DELIVERED"]))
      .get()!;
    const hourAgo = new Date(now - 3600_000).toISOString();
    const lastHour = this.db.select({ n: sql<number>`count(*)` }).from(orders).where(sql`${orders.createdAt} >= ${hourAgo}`).get()!.n;
    return {
      countsByStatus: counts,
      revenueCents: paid.revenue,
      averageOrderValueCents: paid.n ? Math.round(paid.revenue / paid.n) : 0,
      currency: paid.currency ?? "EUR",
      ordersLastHour: lastHour,
      totalOrders: Object.values(counts).reduce((a, b) => a + b, 0),
    };
  }

  findKey(userId: string, key: string) {
    return this.keyOf.get({ userId, key });
  }

  /** Returns false when another request already holds this key. */
  claimKey(userId: string, key: string, requestHash: string, orderId: string, at: string): boolean {
    return this.insertKey.all({ userId, key, requestHash, orderId, at }).length > 0;
  }

  recordResponse(orderId: string, status: number): void {
    this.setResponse.run({ orderId, status });
  }
}

