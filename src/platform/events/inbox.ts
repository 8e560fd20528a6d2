import type { Database } from "bun:sqlite";

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
  return {
    /** Returns false when `key` had already been handled. */
    claim: (key: string): boolean => claimQuery.run(consumer, key, new Date().toISOString()).changes > 0,
  };
}

export type Inbox = ReturnType<typeof createInbox>;
