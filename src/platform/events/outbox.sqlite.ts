import type { Database } from "bun:sqlite";
import { afterCommit, joinCommitBatch, writesOnDisk } from "../db/group-commit";
import { SqliteTable } from "../db/table.sqlite";
import { newId, nowIso } from "../ids";
import { currentTraceparent } from "../observability/tracing";
import type { DomainEvent } from "./event";
import { CommittedOutbox, entryOf, type EventRow, type NewEvent, type OutboxEntry, type OutboxStore } from "./outbox";
import { outbox, outboxRelay, processedEvents } from "./outbox-schema";

const events = new SqliteTable(outbox);
const relay = new SqliteTable(outboxRelay);
const inbox = new SqliteTable(processedEvents);

const EVENT_KEYS = ["id", "type", "aggregateType", "aggregateId", "payload", "occurredAt", "traceparent"] as const;

/**
 * A module's outbox on its SQLite connection: the UnitOfWork appends inside the unit that makes
 * the change, and hands what committed to the relay (afterCommit); the relay reads, marks and
 * prunes here. Statements prepared once, from the schema in outbox-schema.ts.
 */
export class SqliteOutbox implements OutboxStore {
  readonly committed = new CommittedOutbox();
  private readonly insert;
  private readonly select;
  private readonly advance;
  private readonly deleteOld;
  private readonly countWaiting;
  private readonly oldest;

  constructor(private readonly sqlite: Database) {
    this.insert = sqlite.query<never, Record<string, string | null>>(events.insert(EVENT_KEYS));
    const position = `(SELECT ${relay.column("publishedSeq")} FROM ${relay.name} WHERE ${relay.column("id")} = 1)`;
    const seq = events.column("seq");
    const waiting = `FROM ${events.name} WHERE ${seq} > ${position}`;
    this.select = sqlite.query<EventRow, [number]>(`SELECT ${events.select(["seq", ...EVENT_KEYS])} ${waiting} ORDER BY ${seq} LIMIT ?`);
    // Never moves back: two relays on one file (several processes) may both publish a batch.
    this.advance = sqlite.query<never, [number]>(
      `UPDATE ${relay.name} SET ${relay.column("publishedSeq")} = max(${relay.column("publishedSeq")}, ?) WHERE ${relay.column("id")} = 1`,
    );
    // Published and older than the retention. seq follows time: the first row young enough
    // bounds a range delete, found by reading only the rows that go. (One bound: with two,
    // SQLite ranges over one and checks the other on every row.)
    this.deleteOld = sqlite.query<never, [string]>(
      `DELETE FROM ${events.name} WHERE ${seq} <= min(${position}, COALESCE((SELECT ${seq} FROM ${events.name} WHERE ${events.column("occurredAt")} >= ? ORDER BY ${seq} LIMIT 1) - 1, ${position}))`,
    );
    this.countWaiting = sqlite.query<{ n: number }, []>(`SELECT COUNT(*) AS n ${waiting}`);
    this.oldest = sqlite.query<{ t: string | null }, []>(`SELECT ${events.column("occurredAt")} AS t ${waiting} ORDER BY ${seq} LIMIT 1`);
  }

  /**
   * Appends events inside the current unit of work (joinCommitBatch), so the change and its events
   * commit or roll back together; once committed, they go to the relay in memory.
   */
  append(newEvents: readonly NewEvent[], traceparent = currentTraceparent()): DomainEvent[] {
    const occurredAt = nowIso();
    const entries = newEvents.map((e): OutboxEntry => {
      const event: DomainEvent = { id: newId(), type: e.type, aggregateType: e.aggregateType, aggregateId: e.aggregateId, occurredAt, payload: e.payload };
      if (traceparent) event.traceparent = traceparent;
      const { lastInsertRowid } = this.insert.run({ ...event, payload: JSON.stringify(e.payload), traceparent: traceparent ?? null });
      return { seq: Number(lastInsertRowid), event };
    });
    afterCommit(this.sqlite, () => this.committed.push(entries));
    return entries.map((e) => e.event);
  }

  async unpublished(max: number): Promise<OutboxEntry[] | null> {
    const rows = this.select.all(max);
    if (rows.length === 0) return [];
    // The read can see this turn's uncommitted rows (group commit): publish them only once committed.
    try {
      await writesOnDisk();
    } catch {
      return null;
    }
    return rows.map(entryOf);
  }

  async markPublished(seq: number): Promise<void> {
    joinCommitBatch(this.sqlite, () => this.advance.run(seq), "outbox");
  }

  async prune(before: string): Promise<void> {
    this.deleteOld.run(before);
  }

  backlog(): number {
    return this.countWaiting.get()?.n ?? 0;
  }

  oldestWaitingAt(): string | null {
    return this.oldest.get()?.t ?? null;
  }
}

/**
 * Keys a consumer has already handled (event ids, or any other idempotency key), in the
 * consumer's own database. `claim` records a key and says whether it was new, in one statement;
 * call it inside the unit of work that applies the change, so a redelivery changes nothing and a
 * change that rolls back releases its key too.
 */
export class SqliteInbox {
  private readonly insert;

  constructor(
    sqlite: Database,
    private readonly consumer: string,
  ) {
    this.insert = sqlite.query<never, Record<string, string>>(`${inbox.insert(["consumer", "eventId", "processedAt"])} ON CONFLICT DO NOTHING`);
  }

  /** Returns false when `key` had already been handled. */
  claim(key: string): boolean {
    return this.insert.run({ consumer: this.consumer, eventId: key, processedAt: nowIso() }).changes > 0;
  }
}
