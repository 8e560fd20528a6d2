import type { Database } from "bun:sqlite";
import { inTransaction } from "../db/transaction";

/**
 * Keys a consumer has already handled (event ids, or any other idempotency key), in the
 * consumer's own database. `claim` records a key and says whether it was new, in one statement;
 * call it inside the transaction that applies the change, so a redelivery changes nothing and a
 * change that rolls back releases its key too.
 */
export function createInbox(sqlite: Database, consumer: string) {
  const claimQuery = sqlite.query<never, [string, string, string]>(
    "INSERT INTO processed_events (consumer, event_id, processed_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
  );
  const claim = (key: string) => claimQuery.run(consumer, key, new Date().toISOString()).changes > 0;
  return {
    claim,
    /** Returns false when `key` had already been handled. */
    handleOnce(key: string, apply: () => void): boolean {
      return inTransaction(
        sqlite,
        () => {
          if (!claim(key)) return false;
          apply();
          return true;
        },
        consumer,
      );
    },
  };
}

export type Inbox = ReturnType<typeof createInbox>;
