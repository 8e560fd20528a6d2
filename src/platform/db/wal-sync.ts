import { closeSync, fdatasync, fdatasyncSync, fstatSync, openSync, statSync } from "node:fs";

/**
 * Puts one database's WAL file on disk, off the event loop's thread. A batch the group commit
 * syncs on the thread pool (CommitSync in group-commit.ts) commits at `synchronous=NORMAL`: COMMIT
 * writes the WAL frames without a sync, then the flush asks this for an `fdatasync` of the WAL on
 * Bun's thread pool and answers the batch's waiters only once it returned. The commit is as
 * durable as with `FULL` (its frames are on disk before anyone hears of it) while the event loop
 * goes on with the next requests instead of blocking in the sync. SQLite's NORMAL still syncs around every checkpoint (the WAL before it
 * is copied back, the database file after), so frames a checkpoint moved are on disk too.
 *
 * Syncs coalesce: callers arriving while one runs share the next, which starts when it returns,
 * so at most two are pending and each covers everything written before it started.
 */
export class WalSync {
  private fd: number | undefined;
  private inode = 0;
  private running: Promise<void> | undefined;
  private queued: Promise<void> | undefined;

  constructor(private readonly walPath: string) {}

  /** Resolves once everything written to the WAL before this call is on disk; rejects when the sync failed. */
  sync(): Promise<void> {
    if (!this.running) return this.start();
    return (this.queued ??= this.running.then(
      () => this.startQueued(),
      () => this.startQueued(),
    ));
  }

  /** The same, blocking (closing a database: no later turn to wait in). */
  syncNow(): void {
    fdatasyncSync(this.file());
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private startQueued(): Promise<void> {
    this.queued = undefined;
    return this.start();
  }

  private start(): Promise<void> {
    let fd: number;
    try {
      fd = this.file();
    } catch (error) {
      return Promise.reject(error);
    }
    const done = new Promise<void>((resolve, reject) => fdatasync(fd, (error) => (error ? reject(error) : resolve())));
    this.running = done;
    const clear = () => {
      if (this.running === done) this.running = undefined;
    };
    done.then(clear, clear);
    return done;
  }

  /**
   * The WAL's file descriptor, opened on first use. SQLite keeps one WAL file for a connection's
   * life (a restart rewrites it in place); should it ever be a new file (deleted when the last
   * connection closed, then created again), the descriptor follows it.
   */
  private file(): number {
    const inode = statSync(this.walPath).ino;
    if (this.fd !== undefined && inode === this.inode) return this.fd;
    this.close();
    this.fd = openSync(this.walPath, "r");
    this.inode = fstatSync(this.fd).ino;
    return this.fd;
  }
}
