import { SQL } from "bun";

/**
 * Session-level advisory locks for work several replicas must not do at once (the outbox relay's
 * lease, settling one half-done checkout), held on a connection of their own (one per module and
 * process, outside the pool, so a lock held across network calls never takes a pool connection).
 * The server releases a session lock the moment its connection ends: a replica that dies (SIGKILL,
 * crash, lost network) frees its locks at once, and another replica takes them on its next try.
 * No expiry to guess, no clock to trust.
 *
 * Keys are two int4s: a class per kind of work (LOCK_CLASSES) and a key (`lockKey` of a name). The
 * locks are database-wide, so keys that must differ per module include its schema.
 */
export class SessionLocks {
  private readonly sql: SQL;

  constructor(url: string, applicationName: string) {
    // One connection, never closed for idleness or age: closing it would drop every lock it holds.
    this.sql = new SQL({ url, max: 1, idleTimeout: 0, maxLifetime: 0, connectionTimeout: 10, connection: { application_name: applicationName } });
  }

  /** Takes the lock if free; false when another session holds it. Never waits. */
  async tryLock(cls: number, key: number): Promise<boolean> {
    const [row] = await this.sql`SELECT pg_try_advisory_lock(${cls}::int4, ${key}::int4) AS locked`;
    return row.locked === true;
  }

  /**
   * Whether this session still holds the lock: false after its connection was lost (Bun SQL then
   * reconnects on the next query, as a new session that holds nothing).
   */
  async holds(cls: number, key: number): Promise<boolean> {
    const [row] = await this.sql`SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted AND pid = pg_backend_pid()
      AND classid = ${cls}::int4::oid AND objid = ${key}::int4::oid AND objsubid = 2) AS held`;
    return row.held === true;
  }

  async unlock(cls: number, key: number): Promise<void> {
    await this.sql`SELECT pg_advisory_unlock(${cls}::int4, ${key}::int4)`.catch(() => {}); // a lost connection released it already
  }

  /**
   * Runs `work` only if this replica can take the lock now; undefined (without running it) when
   * another holds it. The lock is released when `work` ends, however it ends.
   */
  async whileHolding<T>(cls: number, key: number, work: () => Promise<T>): Promise<{ ran: true; value: T } | { ran: false }> {
    if (!(await this.tryLock(cls, key))) return { ran: false };
    try {
      return { ran: true, value: await work() };
    } finally {
      await this.unlock(cls, key);
    }
  }

  async close(): Promise<void> {
    await this.sql.close({ timeout: 5 }).catch(() => {});
  }
}

/** Lock classes (the migrations' is 0x5b0b_0001 in migrate.ts). */
export const LOCK_CLASSES = {
  /** One active outbox relay per module: key = lockKey(schema). */
  outboxRelay: 0x5b0b_0002,
  /** One replica settling a half-done checkout: key = lockKey(order id). */
  checkoutRecovery: 0x5b0b_0003,
} as const;

/** A name's int4 lock key. Two names sharing a key only make one wait for the other. */
export const lockKey = (name: string): number => Bun.hash.crc32(name) | 0;
