import { lockKey, type LockKey, type SessionLocks } from "../db/postgres/session-locks";
import type { Logger } from "../logger";
import type { RelayLease } from "./relay-lease";

/** How long a confirmed lease is trusted before asking the server again (one tiny query on the lock connection). */
const CONFIRM_MS = 250;

/**
 * The relay lease on PostgreSQL: a session-level advisory lock on the module's lock connection
 * (SessionLocks). Chosen over claiming rows with FOR UPDATE SKIP LOCKED because one publisher per
 * module keeps batches in plain seq order (per-aggregate order needs nothing more), costs no row
 * locks or extra writes per event, and takes over as fast as the server notices the holder's
 * connection is gone (at once for a killed process; the followers retry every `retryMs`). A holder
 * cut off from the server but still running may publish one batch the new holder publishes too:
 * consumers dedupe by event id, and both publish in seq order.
 */
export class PostgresRelayLease implements RelayLease {
  private held = false;
  private confirmedAt = 0;
  private readonly key: LockKey;

  constructor(
    private readonly locks: SessionLocks,
    schema: string,
    private readonly log: Logger,
  ) {
    this.key = lockKey("outbox-relay", schema);
  }

  async acquire(): Promise<boolean> {
    try {
      if (this.held && Date.now() - this.confirmedAt < CONFIRM_MS) return true;
      if (this.held && !(await this.locks.holds(this.key))) {
        this.held = false;
        this.log.warn("lost the outbox relay lease (its connection ended); taking it again if free");
      }
      if (!this.held && (await this.locks.tryLock(this.key))) {
        this.held = true;
        this.log.info("holding the outbox relay lease: this replica publishes the module's events");
      }
      this.confirmedAt = Date.now();
      return this.held;
    } catch {
      this.held = false; // the server is unreachable: publish nothing until it answers again
      return false;
    }
  }

  async release(): Promise<void> {
    if (!this.held) return;
    this.held = false;
    await this.locks.unlock(this.key);
  }
}
