export interface PartitionOffset {
  topic: string;
  partition: number;
  /** The next offset to read: one past the last handled message. */
  offset: string;
}

/**
 * A consumer's handled offsets, committed to Kafka at most once per `intervalMs`: the first batch
 * after a quiet spell commits at once, the ones that follow within the interval are committed
 * together when it ends (or when the consumer stops). Under load, one commit request then carries
 * many batches' offsets, where a commit per fetched batch was a broker round trip per checkout
 * per consumer group. Delaying a commit never loses an event: a consumer that dies before it
 * sends has the events again, and the handlers skip what they already did (the inbox).
 */
export class PacedOffsetCommits {
  private readonly pending = new Map<string, PartitionOffset>();
  private lastAt = -Infinity;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly send: (offsets: PartitionOffset[]) => Promise<void>,
    private readonly intervalMs: number,
    /** A commit sent from the timer failed (a rebalance, the broker away): its events will come again. */
    private readonly onTimerError: (error: unknown) => void,
  ) {}

  /** Records a handled batch's offset; commits now (awaited, errors thrown) if the interval has passed, else later. */
  add(offset: PartitionOffset): Promise<void> {
    this.pending.set(`${offset.topic}\u0000${offset.partition}`, offset);
    const wait = this.lastAt + this.intervalMs - performance.now();
    if (wait <= 0) return this.flush();
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.flush().catch(this.onTimerError);
    }, wait);
    return Promise.resolve();
  }

  /** Commits whatever is pending now. */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.size === 0) return;
    const offsets = [...this.pending.values()];
    this.pending.clear();
    this.lastAt = performance.now();
    await this.send(offsets);
  }

  /** Forgets what is pending (the partitions were taken away: their new owner reads from the last commit). */
  drop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.pending.clear();
  }
}
