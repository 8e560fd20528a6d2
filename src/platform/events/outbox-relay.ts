import type { Database } from "bun:sqlite";
import { writesOnDisk, joinCommitBatch } from "../db/group-commit";
import type { EventBus } from "./event";
import { committedQueue, type CommittedOutbox, type OutboxEntry } from "./outbox";
import type { Logger } from "../logger";
import { watchOutbox } from "../observability/metrics";

interface OutboxRow {
  seq: number;
  id: string;
  type: string;
  aggregate_type: string;
  aggregate_id: string;
  payload: string;
  occurred_at: string;
  traceparent: string | null;
}

/**
 * Moves a module's outbox to the bus: in batches, in write order, marking rows published only
 * after the bus accepted them (at-least-once; consumers dedupe by event id). A failing bus is
 * retried with backoff, so events written while it was down are delivered when it is back.
 */
export class OutboxRelay {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = true;
  private backoffMs = 0;
  private waitingRetry = false;
  private prunedAt = 0;
  private nudged = false;
  private unwatch: (() => void) | undefined;
  private warnedDown = false;
  /** The last seq this relay published; unknown until its first read of the table. */
  private position: number | undefined;
  private readonly committed: CommittedOutbox;
  private readonly select;
  private readonly markPublished;
  private readonly prune;
  private readonly countBacklog;
  private readonly oldest;

  constructor(
    private readonly sqlite: Database,
    private readonly bus: EventBus,
    private readonly log: Logger,
    /** `module`: the label of this outbox in the backlog and lag gauges while the relay runs. */
    private readonly opts: { module?: string; batchSize?: number; idleMs?: number; retentionMs?: number } = {},
  ) {
    this.committed = committedQueue(sqlite);
    const position = "(SELECT published_seq FROM outbox_relay WHERE id = 1)";
    this.select = sqlite.query<OutboxRow, [number]>(
      `SELECT seq, id, type, aggregate_type, aggregate_id, payload, occurred_at, traceparent FROM outbox WHERE seq > ${position} ORDER BY seq LIMIT ?`,
    );
    // Never moves back: two relays on one file (several processes) may both publish a batch.
    this.markPublished = sqlite.query("UPDATE outbox_relay SET published_seq = max(published_seq, ?) WHERE id = 1");
    // Published and older than the retention. seq follows time: the first row young enough
    // bounds a range delete, found by reading only the rows that go. (One bound: with two,
    // SQLite ranges over one and checks the other on every row.)
    this.prune = sqlite.query(
      `DELETE FROM outbox WHERE seq <= min(${position}, COALESCE((SELECT seq FROM outbox WHERE occurred_at >= ? ORDER BY seq LIMIT 1) - 1, ${position}))`,
    );
    this.countBacklog = sqlite.query<{ n: number }, []>(`SELECT COUNT(*) AS n FROM outbox WHERE seq > ${position}`);
    this.oldest = sqlite.query<{ t: string | null }, []>(`SELECT occurred_at AS t FROM outbox WHERE seq > ${position} ORDER BY seq LIMIT 1`);
  }

  start(): void {
    if (this.opts.module) this.unwatch = watchOutbox(this.opts.module, this);
    this.stopped = false;
    this.drainSoon();
  }

  /**
   * Called after a transaction that wrote events: publish soon, without waiting for the poll.
   * Deferred to the end of the current turn, so the writes of concurrent requests share one
   * drain (one read, one publish, one "published" commit).
   */
  nudge(): void {
    if (this.stopped || this.nudged) return;
    this.nudged = true;
    setImmediate(() => {
      this.nudged = false;
      this.drainSoon();
    });
  }

  private drainSoon(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.waitingRetry) return; // the bus is down: the scheduled retry will pick this up
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.running = this.drain().then((ok) => {
      this.running = undefined;
      if (this.stopped) return;
      if (!ok) {
        this.waitingRetry = true;
        this.schedule(this.backoffMs);
      } else if (this.again) {
        this.again = false;
        this.drainSoon();
      } else {
        this.schedule(this.opts.idleMs ?? 1000);
      }
    });
  }

  async stop(): Promise<void> {
    this.unwatch?.(); // a scrape must not query the database closed after this
    this.unwatch = undefined;
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    while (this.running) await this.running;
  }

  backlog(): number {
    return this.countBacklog.get()?.n ?? 0;
  }

  lagMs(): number {
    const t = this.oldest.get()?.t;
    return t ? Math.max(0, Date.now() - Date.parse(t)) : 0;
  }

  private schedule(ms: number) {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.waitingRetry = false;
      this.drainSoon();
    }, ms);
    this.timer.unref?.();
  }

  /** Returns false when the bus refused a batch. */
  /**
   * The next events to publish: from the committed queue when it continues exactly where this
   * relay stopped (no read, no JSON parse), else read from the table. Null: the read saw a batch
   * that then rolled back.
   */
  private async nextBatch(max: number): Promise<OutboxEntry[] | null> {
    const fromMemory = this.position === undefined ? undefined : this.committed.takeAfter(this.position, max);
    if (fromMemory) return fromMemory;
    const rows = this.select.all(max);
    if (rows.length === 0) return rows as [];
    // The read can see this turn's uncommitted rows (group commit): publish them only once committed.
    try {
      await writesOnDisk();
    } catch {
      return null;
    }
    return rows.map((r) => ({
      seq: r.seq,
      event: {
        id: r.id,
        type: r.type,
        aggregateType: r.aggregate_type,
        aggregateId: r.aggregate_id,
        occurredAt: r.occurred_at,
        payload: JSON.parse(r.payload),
        ...(r.traceparent ? { traceparent: r.traceparent } : {}),
      },
    }));
  }

  private async drain(): Promise<boolean> {
    const batchSize = this.opts.batchSize ?? 500;
    for (;;) {
      const rows = await this.nextBatch(batchSize);
      if (rows === null) return false; // their batch rolled back: read again after the backoff
      if (rows.length === 0) break;
      const events = rows.map((r) => r.event);
      try {
        await this.bus.publish(events);
      } catch (error) {
        this.backoffMs = Math.min(Math.max(this.backoffMs * 2, 200), 5000);
        if (!this.warnedDown) this.log.warn("event bus unavailable; events stay in the outbox", { bus: this.bus.name, err: error });
        this.warnedDown = true;
        return false;
      }
      if (this.warnedDown) this.log.info("event bus back; outbox draining", { bus: this.bus.name });
      this.warnedDown = false;
      this.backoffMs = 0;
      const last = rows[rows.length - 1]!.seq;
      joinCommitBatch(this.sqlite, () => this.markPublished.run(last), "outbox");
      this.position = last;
      if (rows.length < batchSize) break;
    }
    // Published rows are kept a while for inspection; pruning is a write, so not on every drain.
    if (Date.now() - this.prunedAt > 60_000) {
      this.prunedAt = Date.now();
      this.prune.run(new Date(this.prunedAt - (this.opts.retentionMs ?? 24 * 3600_000)).toISOString());
    }
    return true;
  }
}
