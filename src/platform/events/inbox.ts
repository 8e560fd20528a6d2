import type { Database } from "bun:sqlite";
import { inTransaction } from "../db/transaction";

/**
 * Keys a consumer has already handled (event ids, or any other idempotency key), in the
 * consumer's own database. `handleOnce` runs the check, the change and the mark in one
 * synchronous transaction, so a redelivery changes nothing; `seen`/`mark` let a caller that is
 * already inside a transaction do the same.
 */
export function createInbox(sqlite: Database, consumer: string) {
  const seenQuery = sqlite.query<{ one: number }, [string, string]>("SELECT 1 AS one FROM processed_events WHERE consumer = ? AND event_id = ?");
  const markQuery = sqlite.query("INSERT INTO processed_events (consumer, event_id, processed_at) VALUES (?, ?, ?)");
  const seen = (key: string) => !!seenQuery.get(consumer, key);
  const mark = (key: string) => void markQuery.run(consumer, key, new Date().toISOString());
  return {
    seen,
    mark,
    /** Returns false when `key` had already been handled. */
    handleOnce(key: string, apply: () => void): boolean {
      return inTransaction(
        sqlite,
        () => {
          if (seen(key)) return false;
          apply();
          mark(key);
          return true;
        },
        consumer,
      );
    },
  };
}

export type Inbox = ReturnType<typeof createInbox>;
