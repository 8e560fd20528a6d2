import type { SQL } from "bun";
import { isoText } from "../db/postgres/table.postgres";
import { newId, nowIso } from "../ids";
import { currentTraceparent } from "../observability/tracing";
import type { DomainEvent } from "./event";
import { CommittedOutbox, entryOf, type EventRow, type NewEvent, type OutboxEntry, type OutboxStore } from "./outbox";

const SELECT_EVENTS = `SELECT seq::float8 AS seq, id, type, aggregate_type AS "aggregateType", aggregate_id AS "aggregateId", payload,
  ${isoText("occurred_at")} AS "occurredAt", traceparent FROM outbox`;

/**
 * Appends events after taking each of their aggregates' transaction-level advisory lock (sorted,
 * so two appends never wait on each other in a circle; the join yields no row, so no seq is
 * drawn, before every lock is held). seq is taken at INSERT, not at COMMIT; the lock, held to
 * COMMIT, makes a second transaction appending to the same aggregate wait until the first has
 * committed, so per aggregate seq order is commit order, whatever the caller locked before. The
 * relay publishes in seq order, so each aggregate's events reach the bus in the order written.
 * Transactions on different aggregates still commit in any order: rows are marked published one
 * by one (markPublished), so a row that commits late is published late, never skipped.
 */
const APPEND = `WITH locked AS (
    SELECT count(pg_advisory_xact_lock(k)) AS n FROM (
      SELECT DISTINCT hashtextextended('outbox:' || t || ':' || i, 0) AS k FROM unnest($3::text[], $4::text[]) AS a(t, i) ORDER BY k
    ) keys
  )
  INSERT INTO outbox (id, type, aggregate_type, aggregate_id, payload, occurred_at, traceparent)
  SELECT id, type, aggregate_type, aggregate_id, payload, $6::timestamptz, $7 FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])
    WITH ORDINALITY AS e(id, type, aggregate_type, aggregate_id, payload, n), locked ORDER BY e.n`;

/** How often the backlog gauges may cost a query (they are read at every metrics scrape). */
const BACKLOG_REFRESH_MS = 1000;

/**
 * A module's outbox on PostgreSQL (outbox-postgres-schema.ts). The unit of work appends inside the
 * transaction that makes the change. seq comes from a sequence when the row is inserted, not when
 * it commits, so a relay keeping "the last seq published" could pass over a row that commits late;
 * this store therefore marks the rows it published (published_at) and hands the relay the
 * unpublished rows, oldest first, whatever the position. Per aggregate, seq follows commit order
 * (the aggregate's row lock orders its transactions), so each aggregate's events keep their order.
 * The relay always reads the table (`committed` only nudges it): one short indexed read per drain.
 */
export class PostgresOutbox implements OutboxStore {
  readonly committed = new CommittedOutbox();
  private waiting = 0;
  private oldest: string | null = null;
  private refreshedAt = 0;
  private refreshing = false;

  constructor(private readonly sql: SQL) {}

  /** Inside the unit's transaction: the change and its events commit or roll back together. */
  async append(tx: SQL, newEvents: readonly NewEvent[], traceparent = currentTraceparent()): Promise<DomainEvent[]> {
    const occurredAt = nowIso();
    const events = newEvents.map((e): DomainEvent => {
      const event: DomainEvent = { id: newId(), type: e.type, aggregateType: e.aggregateType, aggregateId: e.aggregateId, occurredAt, payload: e.payload };
      if (traceparent) event.traceparent = traceparent;
      return event;
    });
    // One statement whatever the count: the events in the order given (seq follows the array's order),
    // after the transaction-level lock of each aggregate (see APPEND).
    await tx.unsafe(APPEND, [
      pgArray(events.map((e) => e.id)),
      pgArray(events.map((e) => e.type)),
      pgArray(events.map((e) => e.aggregateType)),
      pgArray(events.map((e) => e.aggregateId)),
      pgArray(events.map((e) => JSON.stringify(e.payload))),
      occurredAt,
      traceparent ?? null,
    ]);
    return events;
  }

  /** After a commit that wrote events: the relay reads them from the table. */
  nudge(): void {
    this.committed.push([]);
  }

  async unpublished(max: number): Promise<OutboxEntry[] | null> {
    const rows: EventRow[] = await this.sql.unsafe(`${SELECT_EVENTS} WHERE published_at IS NULL ORDER BY seq LIMIT $1`, [max]);
    return rows.map(entryOf);
  }

  /** Marks exactly the rows published (`entries`); without them, every unpublished row up to `seq`. */
  async markPublished(seq: number, entries?: readonly OutboxEntry[]): Promise<void> {
    // One statement, so one commit (one WAL flush) per drain: the rows marked and the position moved.
    const which = entries ? `seq = ANY($2::bigint[])` : `seq <= $1`;
    await this.sql.unsafe(
      `WITH marked AS (UPDATE outbox SET published_at = now() WHERE ${which} AND published_at IS NULL)
       UPDATE outbox_relay SET published_seq = GREATEST(published_seq, $1) WHERE id = 1`,
      entries ? [seq, pgArray(entries.map((e) => String(e.seq)))] : [seq],
    );
  }

  async prune(before: string): Promise<void> {
    await this.sql.unsafe(`DELETE FROM outbox WHERE published_at IS NOT NULL AND occurred_at < $1`, [before]);
  }

  /** The last count read (refreshed in the background at most once a second): gauges answer synchronously. */
  backlog(): number {
    this.refresh();
    return this.waiting;
  }

  oldestWaitingAt(): string | null {
    this.refresh();
    return this.oldest;
  }

  private refresh(): void {
    if (this.refreshing || Date.now() - this.refreshedAt < BACKLOG_REFRESH_MS) return;
    this.refreshing = true;
    this.sql
      .unsafe(`SELECT count(*)::float8 AS n, ${isoText("min(occurred_at)")} AS t FROM outbox WHERE published_at IS NULL`)
      .then((rows: Array<{ n: number; t: string | null }>) => {
        this.waiting = rows[0]?.n ?? 0;
        this.oldest = rows[0]?.t ?? null;
      })
      .catch(() => {}) // a closed pool at shutdown: keep the last figures
      .finally(() => {
        this.refreshedAt = Date.now();
        this.refreshing = false;
      });
  }
}

/**
 * Keys a consumer has already handled, on PostgreSQL (the twin of SqliteInbox): `claim` records a
 * key inside the unit's transaction and says whether it was new; a unit that rolls back releases it.
 * Two transactions claiming one key at once: the second waits for the first and then finds it taken.
 */
export class PostgresInbox {
  constructor(private readonly consumer: string) {}

  async claim(tx: SQL, key: string): Promise<boolean> {
    const result = await tx.unsafe(`INSERT INTO processed_events (consumer, event_id, processed_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [this.consumer, key, nowIso()]);
    return result.count > 0;
  }
}

/** A PostgreSQL array literal of text values (Bun SQL binds a JS array as a JSON-ish value otherwise). */
export function pgArray(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`).join(",")}}`;
}
