import type { DomainEvent } from "./event";

export interface NewEvent<TType extends string = string, TPayload = unknown> {
  type: TType;
  aggregateType: string;
  aggregateId: string;
  /** Stored as JSON when appended; the object itself may travel on in-process, so never mutate it afterwards. */
  payload: TPayload;
}

/** An outbox row as the relay publishes it. */
export interface OutboxEntry {
  seq: number;
  event: DomainEvent;
}

/** An outbox row as either database returns it (outbox-schema.ts, outbox-postgres-schema.ts). */
export type EventRow = { seq: number; id: string; type: string; aggregateType: string; aggregateId: string; payload: string; occurredAt: string; traceparent: string | null };

/** The entry a stored row stands for: its payload parsed, its trace context only when it has one. */
export function entryOf(r: EventRow): OutboxEntry {
  return {
    seq: r.seq,
    event: {
      id: r.id,
      type: r.type,
      aggregateType: r.aggregateType,
      aggregateId: r.aggregateId,
      occurredAt: r.occurredAt,
      payload: JSON.parse(r.payload),
      ...(r.traceparent ? { traceparent: r.traceparent } : {}),
    },
  };
}

/**
 * A module's outbox table as its relay reads it. Every module that raises events has the table in
 * its own database (outbox-schema.ts); its UnitOfWork appends to it in the transaction that makes
 * the change. SQLite: outbox.sqlite.ts; PostgreSQL: outbox.postgres.ts.
 */
export interface OutboxStore {
  /** The events after the published position, oldest first, each once committed; null when the rows read were rolled back meanwhile. */
  unpublished(max: number): Promise<OutboxEntry[] | null>;
  /**
   * Moves the published position to `seq`; never back (two relays on one outbox may both publish a
   * batch). `entries`: the rows just published (PostgreSQL marks exactly those: its seq does not
   * follow commit order, so "everything up to seq" could include a row that committed late).
   */
  markPublished(seq: number, entries?: readonly OutboxEntry[]): Promise<void>;
  /** Deletes published events that occurred before `before` (ISO-8601). */
  prune(before: string): Promise<void>;
  /** How many events wait, and when the oldest occurred: read at every metrics scrape, so answered synchronously. */
  backlog(): number;
  oldestWaitingAt(): string | null;
  /** The events this process committed, handed over in memory (see CommittedOutbox). */
  readonly committed: CommittedOutbox;
}

/** More than this many committed events waiting (a bus down, no relay running): forget them, the relay reads the table. */
const QUEUE_LIMIT = 10_000;

/**
 * The events a module's writes committed in this process, in seq order, handed to its relay after
 * each commit: the relay hears of new events at once, and takes them from here instead of reading
 * back (and parsing) what was just written. The table stays the truth: the relay uses the queue
 * only when it continues exactly where the relay stopped, and reads the table otherwise (after a
 * restart, a gap, an overflow, rows written by another process).
 */
export class CommittedOutbox {
  private entries: OutboxEntry[] = [];
  private listener: (() => void) | undefined;

  /** After a commit: the events it wrote, in seq order. */
  push(entries: OutboxEntry[]): void {
    if (this.entries.length + entries.length > QUEUE_LIMIT) this.entries = [];
    else for (const e of entries) this.entries.push(e);
    this.listener?.();
  }

  /** The relay's: told after every push (undefined: nobody listens). */
  listen(listener: (() => void) | undefined): void {
    this.listener = listener;
  }

  /** Up to `max` events right after `position`, or undefined when memory cannot say what comes next. */
  takeAfter(position: number, max: number): OutboxEntry[] | undefined {
    let skip = 0;
    while (skip < this.entries.length && this.entries[skip]!.seq <= position) skip++;
    if (skip > 0) this.entries.splice(0, skip);
    if (this.entries.length === 0 || this.entries[0]!.seq !== position + 1) return undefined;
    let n = 1;
    while (n < this.entries.length && n < max && this.entries[n]!.seq === this.entries[n - 1]!.seq + 1) n++;
    return this.entries.splice(0, n);
  }
}
