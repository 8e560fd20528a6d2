import type { EventBus } from "./event";
import type { OutboxEntry, OutboxStore } from "./outbox";
import type { Logger } from "../logger";
import { watchOutbox } from "../observability/metrics";
import type { RelayLease } from "./relay-lease";

/**
 * Moves a module's outbox to the bus: in batches, in write order, marking rows published only
 * after the bus accepted them (at-least-once; consumers dedupe by event id). A failing bus is
 * retried with backoff, so events written while it was down are delivered when it is back. It
 * hears of new events when their unit of work commits (CommittedOutbox), and polls besides.
 * With a `lease` (several replicas on one PostgreSQL outbox), only the holder publishes; the others
 * retry the lease every `leaseRetryMs` and take over when the holder is gone (relay-lease.postgres.ts).
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
  /** When the last drain started (performance.now()), for the bus's busyPublishIntervalMs. */
  private drainStartedAt = -Infinity;
  private paced = false;

  constructor(
    private readonly outbox: OutboxStore,
    private readonly bus: EventBus,
    private readonly log: Logger,
    /** `module`: the label of this outbox in the backlog and lag gauges while the relay runs. */
    private readonly opts: { module?: string; batchSize?: number; idleMs?: number; retentionMs?: number; lease?: RelayLease; leaseRetryMs?: number } = {},
  ) {}

  start(): void {
    if (this.opts.module) this.unwatch = watchOutbox(this.opts.module, this);
    this.stopped = false;
    this.outbox.committed.listen(() => this.nudge());
    this.drainSoon();
  }

  /**
   * New events committed: publish soon, without waiting for the poll. Deferred to the end of the
   * current turn, so the writes of concurrent requests share one drain (one read, one publish,
   * one "published" write).
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
    if (this.waitingRetry || this.paced) return; // a scheduled drain will pick this up: a retry (the bus is down, another replica holds the lease) or a paced one
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    // Busy: the last drain started moments ago. Wait out the bus's interval, so the events of the
    // commits meanwhile leave in one publish (one produce request, one fetch answer per consumer
    // group, instead of one per commit: most of split mode's Kafka CPU). Idle: publish at once.
    const wait = this.drainStartedAt + (this.bus.busyPublishIntervalMs ?? 0) - performance.now();
    if (wait > 0) {
      this.paced = true;
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.paced = false;
        this.drainSoon();
      }, wait);
      return;
    }
    this.drainStartedAt = performance.now();
    this.running = this.drain().then((outcome) => {
      this.running = undefined;
      if (this.stopped) return;
      if (outcome !== "drained") {
        this.waitingRetry = true;
        this.schedule(outcome === "busDown" ? this.backoffMs : (this.opts.leaseRetryMs ?? 1000));
      } else if (this.again) {
        this.again = false;
        this.drainSoon();
      } else {
        this.schedule(this.opts.idleMs ?? 1000);
      }
    });
  }

  async stop(): Promise<void> {
    this.outbox.committed.listen(undefined);
    this.unwatch?.(); // a scrape must not query the database closed after this
    this.unwatch = undefined;
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    while (this.running) await this.running;
    await this.opts.lease?.release();
  }

  backlog(): number {
    return this.outbox.backlog();
  }

  lagMs(): number {
    const t = this.outbox.oldestWaitingAt();
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

  /**
   * The next events to publish: from the committed queue when it continues exactly where this
   * relay stopped (no read, no JSON parse), else read from the table. Null: the read saw a batch
   * that then rolled back.
   */
  private nextBatch(max: number): Promise<OutboxEntry[] | null> {
    const fromMemory = this.position === undefined ? undefined : this.outbox.committed.takeAfter(this.position, max);
    return fromMemory ? Promise.resolve(fromMemory) : this.outbox.unpublished(max);
  }

  /** "busDown": the bus refused a batch; "follower": another replica holds the lease. */
  private async drain(): Promise<"drained" | "busDown" | "follower"> {
    const batchSize = this.opts.batchSize ?? 500;
    for (;;) {
      // Asked before every batch: a holder that lost its lock connection stops after this batch at most.
      if (this.opts.lease && !(await this.opts.lease.acquire())) return "follower";
      const rows = await this.nextBatch(batchSize);
      if (rows === null) return "busDown"; // their batch rolled back: read again after the backoff
      if (rows.length === 0) break;
      const events = rows.map((r) => r.event);
      try {
        await this.bus.publish(events);
      } catch (error) {
        this.backoffMs = Math.min(Math.max(this.backoffMs * 2, 200), 5000);
        if (!this.warnedDown) this.log.warn("event bus unavailable; events stay in the outbox", { bus: this.bus.name, err: error });
        this.warnedDown = true;
        return "busDown";
      }
      if (this.warnedDown) this.log.info("event bus back; outbox draining", { bus: this.bus.name });
      this.warnedDown = false;
      this.backoffMs = 0;
      const last = rows[rows.length - 1]!.seq;
      await this.outbox.markPublished(last, rows);
      this.position = last;
      if (rows.length < batchSize) break;
    }
    // Published rows are kept a while for inspection; pruning is a write, so not on every drain.
    if (Date.now() - this.prunedAt > 60_000) {
      this.prunedAt = Date.now();
      await this.outbox.prune(new Date(this.prunedAt - (this.opts.retentionMs ?? 24 * 3600_000)).toISOString());
    }
    return "drained";
  }
}
