import type { Database } from "bun:sqlite";
import type { DomainEvent } from "./event";
import { inTransaction } from "../db/transaction";

/**
 * Runs `apply` for an event at most once per consumer group: the check, the change and the
 * "handled" mark share one synchronous transaction, so a redelivered event changes nothing.
 * Returns false when the event had already been handled.
 */
export function createInbox(sqlite: Database, consumer: string) {
  const seen = sqlite.query<{ one: number }, [string, string]>("SELECT 1 AS one FROM processed_events WHERE consumer = ? AND event_id = ?");
  const mark = sqlite.query("INSERT INTO processed_events (consumer, event_id, processed_at) VALUES (?, ?, ?)");
  return function handleOnce(event: DomainEvent, apply: () => void): boolean {
    return inTransaction(sqlite, () => {
      if (seen.get(consumer, event.id)) return false;
      apply();
      mark.run(consumer, event.id, new Date().toISOString());
      return true;
    }, consumer);
  };
}
