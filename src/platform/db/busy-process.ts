/**
 * Whether this process has been busy lately: the CPU all its threads used over the last window
 * (at least `windowMs`, measured again at most once per window) above `busyShare` of one core.
 * The group commit asks it at each batch: a busy event loop has other requests to serve while a
 * commit is synced, an idle one has not (group-commit.ts).
 */
export class BusyProcess {
  private since: number;
  private cpuSince: number;
  private busy = false;

  constructor(
    private readonly busyShare = 0.5,
    private readonly windowMs = 100,
    private readonly now: () => number = () => performance.now(),
    /** CPU time this process used so far, in ms. */
    private readonly cpuMs: () => number = () => {
      const { user, system } = process.cpuUsage();
      return (user + system) / 1000;
    },
  ) {
    this.since = now();
    this.cpuSince = this.cpuMs();
  }

  isBusy(): boolean {
    const now = this.now();
    const elapsed = now - this.since;
    if (elapsed >= this.windowMs) {
      const cpu = this.cpuMs();
      this.busy = (cpu - this.cpuSince) / elapsed > this.busyShare;
      this.since = now;
      this.cpuSince = cpu;
    }
    return this.busy;
  }
}
