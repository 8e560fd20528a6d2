import { SQL } from "bun";

/**
 * Session-level advisory locks for work several replicas must not do at once (the outbox relay's
 * lease, settling one half-done checkout), held on a connection of their own (one per module and
 * process, outside the pool, so a lock held across network calls never takes a pool connection).
 * The server releases a session lock the moment its connection ends: a replica that dies (SIGKILL,
 * crash, lost network) frees its locks at once, and another replica takes them on its next try.
 * No expiry to guess, no clock to trust.
 *
 * Keys are 64-bit hashes of a name that says the kind of work (`lockKey("outbox-relay", schema)`):
 * unrelated names practically never share one. The locks are database-wide, so names that must
 * differ per module include its schema. (The migrations' two-int4 keys are another key space.)
 */
export class SessionLocks {
  private readonly sql: SQL;

  constructor(url: string, applicationName: string) {
    // One connection, never closed for idleness or age: closing it would drop every lock it holds.
    this.sql = new SQL({ url, max: 1, idleTimeout: 0, maxLifetime: 0, connectionTimeout: 10, connection: { application_name: applicationName } });
  }

  /** Takes the lock if free; false when another session holds it. Never waits. Re-entrant within this process. */
  async tryLock(key: LockKey): Promise<boolean> {
    const [row] = await this.sql`SELECT pg_try_advisory_lock(${key}::int8) AS locked`;
    return row.locked === true;
  }

  /**
   * Whether this session still holds the lock: false after its connection was lost (Bun SQL then
   * reconnects on the next query, as a new session that holds nothing).
   */
  async holds(key: LockKey): Promise<boolean> {
    // A bigint key shows in pg_locks as its high 32 bits (classid) and low 32 bits (objid), objsubid 1.
    const [row] = await this.sql`SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted AND pid = pg_backend_pid()
      AND classid = ((${key}::int8 >> 32) & 4294967295)::oid AND objid = (${key}::int8 & 4294967295)::oid AND objsubid = 1) AS held`;
    return row.held === true;
  }

  async unlock(key: LockKey): Promise<void> {
    await this.sql`SELECT pg_advisory_unlock(${key}::int8)`.catch(() => {}); // a lost connection released it already
  }

  /**
   * Runs `work` only if this replica can take the lock now; undefined (without running it) when
   * another holds it. The lock is released when `work` ends, however it ends.
   */
  async whileHolding<T>(key: LockKey, work: () => Promise<T>): Promise<Claimed<T>> {
    if (!(await this.tryLock(key))) return { ran: false };
    try {
      return { ran: true, value: await work() };
    } finally {
      await this.unlock(key);
    }
  }

  /**
   * Runs `work` holding the lock, waiting for it (tried every `pollMs`, never blocking the lock
   * connection) up to `waitMs`; throws `busy()` when it stays held that long.
   */
  async inTurn<T>(key: LockKey, work: () => Promise<T>, opts: { waitMs: number; pollMs: number; busy: () => Error }): Promise<T> {
    const deadline = Date.now() + opts.waitMs;
    for (;;) {
      const claimed = await this.whileHolding(key, work);
      if (claimed.ran) return claimed.value;
      if (Date.now() >= deadline) throw opts.busy();
      await Bun.sleep(opts.pollMs);
    }
  }

  async close(): Promise<void> {
    await this.sql.close({ timeout: 5 }).catch(() => {});
  }
}

/** What work run under a lock gave: its value, or `ran: false` when another session held the lock and it did not run. */
export type Claimed<T> = { ran: true; value: T } | { ran: false };

/** A lock's key: a signed 64-bit integer, as decimal text (what PostgreSQL's int8 takes). */
export type LockKey = string;

/** The key of `purpose` for `name` (a module's schema, an order id). */
export const lockKey = (purpose: "outbox-relay" | "checkout" | "seed" | "declines", name: string): LockKey => BigInt.asIntN(64, BigInt(Bun.hash(`${purpose}:${name}`))).toString();
