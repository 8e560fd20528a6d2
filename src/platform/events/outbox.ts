import type { Database, Statement } from "bun:sqlite";
import type { DomainEvent } from "./event";
import { afterCommit } from "../db/group-commit";
import { newId, nowIso } from "../ids";
import { currentTraceparent } from "../observability/tracing";

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

const inserts = new WeakMap<Database, Statement>();

/**
 * Appends events to the module's outbox. Call it inside the transaction that makes the change,
 * so the change and its events commit or roll back together.
 */
export function appendToOutbox(sqlite: Database, events: NewEvent[], traceparent = currentTraceparent()): DomainEvent[] {
  let insert = inserts.get(sqlite);
  if (!insert) {
    insert = sqlite.prepare("INSERT INTO outbox (id, type, aggregate_type, aggregate_id, payload, occurred_at, traceparent) VALUES (?, ?, ?, ?, ?, ?, ?)");
    inserts.set(sqlite, insert);
  }
  const occurredAt = nowIso();
  const entries = events.map((e): OutboxEntry => {
    const event: DomainEvent = { id: newId(), type: e.type, aggregateType: e.aggregateType, aggregateId: e.aggregateId, occurredAt, payload: e.payload };
    if (traceparent) event.traceparent = traceparent;
    const { lastInsertRowid } = insert.run(event.id, e.type, e.aggregateType, e.aggregateId, JSON.stringify(e.payload), occurredAt, traceparent ?? null);
    return { seq: Number(lastInsertRowid), event };
  });
  // Once committed, the relay can take them from memory instead of reading them back.
  afterCommit(sqlite, () => committedQueue(sqlite).push(entries));
  return entries.map((e) => e.event);
}

/** More than this many committed events waiting (a bus down, no relay running): forget them, the relay reads the table. */
const QUEUE_LIMIT = 10_000;

/**
 * The events this connection has committed to its outbox, in seq order, for its relay: a hint
 * that saves reading back (and parsing) what was just written. The table stays the truth: the
 * relay uses the queue only when it continues exactly where the relay stopped, and reads the
 * table otherwise (after a restart, a gap, an overflow, rows written by another process).
 */
export class CommittedOutbox {
  private entries: OutboxEntry[] = [];

  push(entries: OutboxEntry[]): void {
    if (this.entries.length + entries.length > QUEUE_LIMIT) this.entries = [];
    else for (const e of entries) this.entries.push(e);
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

const queues = new WeakMap<Database, CommittedOutbox>();

export function committedQueue(sqlite: Database): CommittedOutbox {
  let queue = queues.get(sqlite);
  if (!queue) queues.set(sqlite, (queue = new CommittedOutbox()));
  return queue;
}
