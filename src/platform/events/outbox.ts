import type { Database, Statement } from "bun:sqlite";
import type { DomainEvent } from "./event";
import { newId, nowIso } from "../ids";
import { currentTraceparent } from "../observability/tracing";

export interface NewEvent<TType extends string = string, TPayload = unknown> {
  type: TType;
  aggregateType: string;
  aggregateId: string;
  payload: TPayload;
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
  return events.map((e) => {
    const event: DomainEvent = { id: newId(), occurredAt, traceparent, ...e };
    insert.run(event.id, e.type, e.aggregateType, e.aggregateId, JSON.stringify(e.payload), occurredAt, traceparent ?? null);
    return event;
  });
}
