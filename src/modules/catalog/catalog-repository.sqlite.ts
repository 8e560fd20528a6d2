import type { Database, Statement } from "bun:sqlite";
import { containsPattern } from "../../platform/db/contains-text";
import { SqliteTable } from "../../platform/db/table.sqlite";
import { keep, undo } from "../../platform/db/unit-of-work";
import type { SqliteUnitOfWork } from "../../platform/db/unit-of-work.sqlite";
import type { NewEvent } from "../../platform/events/outbox";
import { nowIso } from "../../platform/ids";
import type { CatalogRepository, ProductQuery } from "./catalog-repository";
import type { Product, ProductSummary, ReservationResult, StockLine } from "./contract";
import { products, reservationLines, reservations } from "./schema";
import { productEvents, reservationRefused, stockChanged } from "./stock-events";

const productTable = new SqliteTable(products);
const reservationTable = new SqliteTable(reservations);
const lineTable = new SqliteTable(reservationLines);

const SUMMARY = ["id", "name", "priceCents", "currency", "stock"] as const;
/** Everything but the id and the creation time. */
const EDITABLE = ["name", "description", "category", "priceCents", "currency", "stock", "imageUrl", "updatedAt"] as const;
/** Up to this many ids travel as a plain IN list (a cart's few); more, as one JSON array. */
const SMALL_LIST = 8;

type Status = "RESERVED" | "RELEASED";

/**
 * CatalogRepository on bun:sqlite. The hot statements (a product by id, summaries, stock moves)
 * are prepared once, from the schema: building a drizzle query per call, and drizzle's row
 * mapping, cost more than these queries themselves.
 */
export class SqliteCatalogRepository implements CatalogRepository {
  private readonly byId;
  private readonly summariesByIds;
  private readonly summariesInLists: Statement<ProductSummary, string[]>[] = [];
  private readonly listQueries = new Map<string, Statement<Product, [Record<string, string | number | null>]>>();
  private readonly countAll;
  private readonly insertProduct;
  private readonly saveProduct;
  private readonly deleteProduct;
  private readonly take;
  private readonly give;
  private readonly statusOf;
  private readonly insertReservation;
  private readonly insertLine;
  private readonly linesOf;
  private readonly setStatus;

  constructor(
    private readonly sqlite: Database,
    private readonly units: SqliteUnitOfWork,
  ) {
    const p = productTable;
    this.byId = sqlite.query<Product, [string]>(`SELECT ${p.select()} FROM ${p.name} WHERE ${p.column("id")} = ?`);
    this.summariesByIds = sqlite.query<ProductSummary, [string]>(`SELECT ${p.select(SUMMARY)} FROM ${p.name} WHERE ${p.column("id")} IN (SELECT value FROM json_each(?))`);
    this.countAll = sqlite.query<{ n: number }, []>(`SELECT count(*) AS n FROM ${p.name}`);
    this.insertProduct = sqlite.query(p.insert());
    this.saveProduct = sqlite.query(`UPDATE ${p.name} SET ${p.assign(EDITABLE)} WHERE ${p.column("id")} = $id`);
    this.deleteProduct = sqlite.query<never, [string]>(`DELETE FROM ${p.name} WHERE ${p.column("id")} = ?`);
    const stock = p.column("stock");
    // Takes stock only if that much is there: a conditional update, never read-then-write.
    this.take = sqlite.query<{ stock: number }, [number, string, string]>(
      `UPDATE ${p.name} SET ${stock} = ${stock} - ?1, ${p.column("updatedAt")} = ?2 WHERE ${p.column("id")} = ?3 AND ${stock} >= ?1 RETURNING ${stock}`,
    );
    this.give = sqlite.query<{ stock: number }, [number, string, string]>(
      `UPDATE ${p.name} SET ${stock} = ${stock} + ?1, ${p.column("updatedAt")} = ?2 WHERE ${p.column("id")} = ?3 RETURNING ${stock}`,
    );
    const r = reservationTable;
    this.statusOf = sqlite.query<{ status: Status }, [string]>(`SELECT ${r.select(["status"])} FROM ${r.name} WHERE ${r.column("id")} = ?`);
    this.insertReservation = sqlite.query(r.insert());
    this.setStatus = sqlite.query(`UPDATE ${r.name} SET ${r.assign(["status", "updatedAt"])} WHERE ${r.column("id")} = $id`);
    const l = lineTable;
    this.insertLine = sqlite.query(l.insert());
    this.linesOf = sqlite.query<StockLine, [string]>(`SELECT ${l.select(["productId", "quantity"])} FROM ${l.name} WHERE ${l.column("reservationId")} = ?`);
  }

  async list(query: ProductQuery): Promise<{ items: Product[]; hasMore: boolean }> {
    const shape = `${query.q ? "q" : ""}${query.category ? "c" : ""}${query.afterId ? "a" : ""}`;
    let prepared = this.listQueries.get(shape);
    if (!prepared) this.listQueries.set(shape, (prepared = this.prepareList(query)));
    const rows = prepared.all({
      pattern: query.q ? containsPattern(query.q) : null,
      category: query.category ?? null,
      afterId: query.afterId ?? null,
      limit: query.limit + 1,
    });
    return { items: rows.slice(0, query.limit), hasMore: rows.length > query.limit };
  }

  /** One statement per combination of filters. */
  private prepareList(shape: Omit<ProductQuery, "limit">) {
    const p = productTable;
    const filters: string[] = [];
    if (shape.q) filters.push(`(${(["name", "description", "category"] as const).map((c) => `${p.column(c)} LIKE $pattern ESCAPE '\\'`).join(" OR ")})`);
    if (shape.category) filters.push(`${p.column("category")} = $category`);
    if (shape.afterId) filters.push(`${p.column("id")} > $afterId`);
    const where = filters.length ? `WHERE ${filters.join(" AND ")}` : "";
    return this.sqlite.query<Product, [Record<string, string | number | null>]>(`SELECT ${p.select()} FROM ${p.name} ${where} ORDER BY ${p.column("id")} LIMIT $limit`);
  }

  async get(id: string): Promise<Product | undefined> {
    return this.byId.get(id) ?? undefined;
  }

  async summaries(ids: string[]): Promise<ProductSummary[]> {
    if (ids.length === 0) return [];
    // A cart's few ids: a plain IN list (json_each costs a few µs more per call, three calls a checkout).
    if (ids.length <= SMALL_LIST) return this.summariesIn(ids.length).all(...ids);
    return this.summariesByIds.all(JSON.stringify(ids));
  }

  private summariesIn(n: number) {
    const p = productTable;
    return (this.summariesInLists[n] ??= this.sqlite.query<ProductSummary, string[]>(
      `SELECT ${p.select(SUMMARY)} FROM ${p.name} WHERE ${p.column("id")} IN (${Array(n).fill("?").join(", ")})`,
    ));
  }

  async count(): Promise<number> {
    return this.countAll.get()?.n ?? 0;
  }

  create(product: Product): Promise<void> {
    return this.units.run(() => {
      this.insertProduct.run(productTable.params(product, productTable.keys()));
      return keep(undefined, productEvents(undefined, product));
    });
  }

  update(id: string, change: (current: Product | undefined) => Product): Promise<Product> {
    return this.units.run(() => {
      const before = this.byId.get(id) ?? undefined;
      const after = change(before);
      this.saveProduct.run(productTable.params(after, ["id", ...EDITABLE]));
      return keep(after, productEvents(before, after));
    });
  }

  remove(id: string): Promise<boolean> {
    return this.units.run(() => keep(this.deleteProduct.run(id).changes > 0));
  }

  reserve(reservationId: string, lines: StockLine[]): Promise<ReservationResult> {
    return this.units.run<ReservationResult>(() => {
      const existing = this.statusOf.get(reservationId)?.status;
      if (existing === "RESERVED") return keep({ ok: true, reservationId });
      if (existing === "RELEASED") return keep({ ok: false, reason: "ALREADY_RELEASED", reservationId });
      const now = nowIso();
      const events: NewEvent[] = [];
      for (const line of lines) {
        const stock = this.take.get(line.quantity, now, line.productId)?.stock;
        // Short: every line taken so far goes back with the unit. All or nothing.
        if (stock === undefined) return undo(reservationRefused(line, this.byId.get(line.productId) ?? undefined));
        this.insertLine.run(lineTable.params({ reservationId, ...line }, lineTable.keys()));
        events.push(stockChanged(line.productId, stock, -line.quantity, "reserved"));
      }
      this.insertReservation.run(reservationTable.params({ id: reservationId, status: "RESERVED", createdAt: now, updatedAt: now }, reservationTable.keys()));
      return keep({ ok: true, reservationId }, events);
    });
  }

  release(reservationId: string): Promise<void> {
    return this.units.run(() => {
      const now = nowIso();
      const existing = this.statusOf.get(reservationId)?.status;
      if (existing === "RELEASED") return keep(undefined);
      if (!existing) {
        // A tombstone: a reserve for this id that arrives late (a retry in flight) must not take stock.
        this.insertReservation.run(reservationTable.params({ id: reservationId, status: "RELEASED", createdAt: now, updatedAt: now }, reservationTable.keys()));
        return keep(undefined);
      }
      const events: NewEvent[] = [];
      for (const line of this.linesOf.all(reservationId)) {
        const stock = this.give.get(line.quantity, now, line.productId)?.stock;
        if (stock !== undefined) events.push(stockChanged(line.productId, stock, line.quantity, "released"));
      }
      this.setStatus.run({ id: reservationId, status: "RELEASED", updatedAt: now });
      return keep(undefined, events);
    });
  }
}
