import type { SQL } from "bun";
import { containsPattern } from "../../platform/db/contains-text";
import { PostgresTable } from "../../platform/db/postgres/table.postgres";
import { keep, undo } from "../../platform/db/unit-of-work";
import type { PostgresUnitOfWork } from "../../platform/db/unit-of-work.postgres";
import type { NewEvent } from "../../platform/events/outbox";
import { pgArray } from "../../platform/events/outbox.postgres";
import { nowIso } from "../../platform/ids";
import type { CatalogRepository, ProductQuery } from "./catalog-repository";
import type { Product, ProductSummary, ReservationResult, StockLine } from "./contract";
import { products, reservationLines, reservations } from "./postgres-schema";
import { productEvents, reservationRefused, stockChanged } from "./stock-events";

const p = new PostgresTable(products);
const r = new PostgresTable(reservations);
const l = new PostgresTable(reservationLines);

const SUMMARY = ["id", "name", "priceCents", "currency", "stock"] as const;
const EDITABLE = ["name", "description", "category", "priceCents", "currency", "stock", "imageUrl", "updatedAt"] as const;
type Status = "RESERVED" | "RELEASED";

const BY_ID = `SELECT ${p.select()} FROM ${p.name} WHERE ${p.column("id")} = $1`;
const stock = p.column("stock");
// Takes stock only if that much is there: a conditional update, never read-then-write. The row
// lock it takes holds a concurrent reservation of the same product until this one commits, which
// then re-checks the condition against the committed stock (READ COMMITTED's re-check).
const TAKE = `UPDATE ${p.name} SET ${stock} = ${stock} - $1, ${p.column("updatedAt")} = $2 WHERE ${p.column("id")} = $3 AND ${stock} >= $1 RETURNING ${stock}`;
const GIVE = `UPDATE ${p.name} SET ${stock} = ${stock} + $1, ${p.column("updatedAt")} = $2 WHERE ${p.column("id")} = $3 RETURNING ${stock}`;
// FOR UPDATE: a reserve and a release of one id run one after the other, each seeing the other's end.
const STATUS_OF = `SELECT status FROM ${r.name} WHERE ${r.column("id")} = $1 FOR UPDATE`;

/**
 * CatalogRepository on PostgreSQL (Bun SQL), the twin of catalog-repository.sqlite.ts: each write
 * is one short transaction through the unit of work. A reservation takes its lines in product-id
 * order, so two reservations sharing products lock them in the same order and never deadlock.
 */
export class PostgresCatalogRepository implements CatalogRepository {
  constructor(
    private readonly sql: SQL,
    private readonly units: PostgresUnitOfWork,
  ) {}

  async list(query: ProductQuery): Promise<{ items: Product[]; hasMore: boolean }> {
    const filters: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    if (query.q) {
      // ILIKE: SQLite's LIKE ignores ASCII case, and so does the search on either engine.
      const pattern = param(containsPattern(query.q));
      filters.push(`(${(["name", "description", "category"] as const).map((c) => `${p.column(c)} ILIKE ${pattern} ESCAPE '\\'`).join(" OR ")})`);
    }
    if (query.category) filters.push(`${p.column("category")} = ${param(query.category)}`);
    if (query.afterId) filters.push(`${p.column("id")} COLLATE "C" > ${param(query.afterId)}`);
    const where = filters.length ? `WHERE ${filters.join(" AND ")}` : "";
    // COLLATE "C": ids compare byte-wise, as SQLite compares them (the cursor depends on it).
    const rows: Product[] = await this.sql.unsafe(`SELECT ${p.select()} FROM ${p.name} ${where} ORDER BY ${p.column("id")} COLLATE "C" LIMIT ${param(query.limit + 1)}`, params);
    return { items: rows.slice(0, query.limit), hasMore: rows.length > query.limit };
  }

  async get(id: string): Promise<Product | undefined> {
    const [row] = await this.sql.unsafe(BY_ID, [id]);
    return row;
  }

  async summaries(ids: string[]): Promise<ProductSummary[]> {
    if (ids.length === 0) return [];
    return this.sql.unsafe(`SELECT ${p.select(SUMMARY)} FROM ${p.name} WHERE ${p.column("id")} = ANY($1::text[])`, [pgArray(ids)]);
  }

  async count(): Promise<number> {
    const [row] = await this.sql.unsafe(`SELECT count(*)::float8 AS n FROM ${p.name}`);
    return row?.n ?? 0;
  }

  create(product: Product): Promise<void> {
    return this.units.run(async (tx) => {
      await tx.unsafe(p.insert(), p.values(product, p.keys()));
      return keep(undefined, productEvents(undefined, product));
    });
  }

  update(id: string, change: (current: Product | undefined) => Product): Promise<Product> {
    return this.units.run(async (tx) => {
      const [before] = await tx.unsafe(`${BY_ID} FOR UPDATE`, [id]);
      const after = change(before);
      await tx.unsafe(`UPDATE ${p.name} SET ${p.assign(EDITABLE, 2)} WHERE ${p.column("id")} = $1`, p.values(after, ["id", ...EDITABLE]));
      return keep(after, productEvents(before, after));
    });
  }

  remove(id: string): Promise<boolean> {
    return this.units.run(async (tx) => keep((await tx.unsafe(`DELETE FROM ${p.name} WHERE ${p.column("id")} = $1`, [id])).count > 0));
  }

  reserve(reservationId: string, lines: StockLine[]): Promise<ReservationResult> {
    return this.units.run<ReservationResult>(async (tx) => {
      const now = nowIso();
      // Claims the id first (or finds it taken): two reserves of one id never both take stock.
      const claimed = await tx.unsafe(`${r.insert()} ON CONFLICT (${r.column("id")}) DO NOTHING`, r.values({ id: reservationId, status: "RESERVED", createdAt: now, updatedAt: now }, r.keys()));
      if (claimed.count === 0) {
        const [existing] = await tx.unsafe(STATUS_OF, [reservationId]);
        const status = existing?.status as Status | undefined;
        if (status === "RELEASED") return keep({ ok: false, reason: "ALREADY_RELEASED", reservationId });
        return keep({ ok: true, reservationId });
      }
      const events: NewEvent[] = [];
      for (const line of [...lines].sort((a, b) => (a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0))) {
        const [taken] = await tx.unsafe(TAKE, [line.quantity, now, line.productId]);
        // Short: every line taken so far goes back with the unit, the claim too. All or nothing.
        if (!taken) {
          const [product] = await tx.unsafe(BY_ID, [line.productId]);
          return undo(reservationRefused(line, product));
        }
        await tx.unsafe(l.insert(), l.values({ reservationId, ...line }, l.keys()));
        events.push(stockChanged(line.productId, taken.stock, -line.quantity, "reserved"));
      }
      return keep({ ok: true, reservationId }, events);
    });
  }

  release(reservationId: string): Promise<void> {
    return this.units.run(async (tx) => {
      const now = nowIso();
      // A tombstone when unknown: a reserve for this id that arrives late (a retry in flight) must not take stock.
      const tombstone = await tx.unsafe(`${r.insert()} ON CONFLICT (${r.column("id")}) DO NOTHING`, r.values({ id: reservationId, status: "RELEASED", createdAt: now, updatedAt: now }, r.keys()));
      if (tombstone.count > 0) return keep(undefined);
      const [existing] = await tx.unsafe(STATUS_OF, [reservationId]);
      if (existing?.status === "RELEASED") return keep(undefined);
      const events: NewEvent[] = [];
      const lines: StockLine[] = await tx.unsafe(`SELECT ${l.select(["productId", "quantity"])} FROM ${l.name} WHERE ${l.column("reservationId")} = $1 ORDER BY ${l.column("productId")}`, [reservationId]);
      for (const line of lines) {
        const [given] = await tx.unsafe(GIVE, [line.quantity, now, line.productId]);
        if (given) events.push(stockChanged(line.productId, given.stock, line.quantity, "released"));
      }
      await tx.unsafe(`UPDATE ${r.name} SET status = 'RELEASED', ${r.column("updatedAt")} = $2 WHERE ${r.column("id")} = $1`, [reservationId, now]);
      return keep(undefined, events);
    });
  }
}
