import type { Database, Statement } from "bun:sqlite";
import { sqliteBusyRetries } from "../observability/metrics";
import { BusyProcess } from "./busy-process";
import type { WalSync } from "./wal-sync";

/**
 * SQLite's group commit. Every unit of work on a connection during one event-loop turn joins one
 * SQLite transaction, the turn's commit batch (BEGIN IMMEDIATE on first use), each unit in its own
 * savepoint so a unit that throws undoes only its own writes. The batch commits at the end of the
 * turn (setImmediate): concurrent requests share one commit, and the pages they all touch (the
 * newest leaf of a table or index) reach the WAL once instead of once each.
 *
 * A batch is on disk once synced: inside its COMMIT, or, while the process is busy, on Bun's thread
 * pool after it (CommitSync, wal-sync.ts) while the event loop goes on with other requests.
 *
 * The price: when `joinCommitBatch` returns, the unit's writes are atomic but not on disk yet.
 * Whatever shows them outside this process first awaits `writesOnDisk()`: an HTTP response
 * (create-app does it for every response), an event handed to a bus (the relay), an offset
 * committed to Kafka (the buses), a call to another service (ServiceClient). A call into another
 * module in this process returns once the callee's writes are on disk (acrossBoundary); a caller
 * whose own earlier writes must be on disk before the callee acts says so with `writesOnDisk()`
 * (the checkout's PENDING order, a cancellation's recorded intent). `afterCommit` leaves work for
 * the moment a unit's batch is committed and on disk (the outbox hands its events to the relay).
 *
 * Modules do not call this file: they write through a UnitOfWork (unit-of-work.sqlite.ts).
 */

interface TxStatements {
  begin: Statement;
  commit: Statement;
  rollback: Statement;
  savepoint: Statement;
  release: Statement;
  rollbackTo: Statement;
}
const statements = new WeakMap<Database, TxStatements>();

function txStatements(sqlite: Database): TxStatements {
  let s = statements.get(sqlite);
  if (!s) {
    s = {
      begin: sqlite.prepare("BEGIN IMMEDIATE"),
      commit: sqlite.prepare("COMMIT"),
      rollback: sqlite.prepare("ROLLBACK"),
      savepoint: sqlite.prepare("SAVEPOINT unit"),
      release: sqlite.prepare("RELEASE unit"),
      rollbackTo: sqlite.prepare("ROLLBACK TO unit"),
    };
    statements.set(sqlite, s);
  }
  return s;
}

/** Connections with a batch open, and the callers waiting for it to commit. */
const open = new Set<Database>();
/** Per open batch: what to run once it has committed (see afterCommit). */
const hooks = new WeakMap<Database, Array<() => void>>();
let waiting: Array<{ resolve(): void; reject(error: unknown): void }> = [];
let flushScheduled = false;

/**
 * Runs `work` synchronously as one all-or-nothing unit inside the connection's current commit
 * batch (opening one if needed), in a savepoint; the batch commits at the end of the turn, so the
 * writes are on disk only once `writesOnDisk()` resolves. `work` must not await. The write lock is
 * taken up front (BEGIN IMMEDIATE), so two writers never deadlock upgrading a read lock; a writer
 * in another process holding it past the busy timeout surfaces as SQLITE_BUSY: retried a few
 * times, and counted.
 */
export function joinCommitBatch<T>(sqlite: Database, work: () => T, database = "unknown"): T {
  const tx = txStatements(sqlite);
  if (!sqlite.inTransaction) {
    const offThread = walSyncs.has(sqlite) && syncOnThreadPool();
    begin(tx, sqlite, database, offThread);
    if (offThread) pooled.add(sqlite);
    open.add(sqlite);
    scheduleFlush();
  }
  tx.savepoint.run();
  const unitHooks = hooks.get(sqlite);
  const hooksBefore = unitHooks?.length ?? 0;
  let result: T;
  try {
    result = work();
  } catch (error) {
    tx.rollbackTo.run();
    tx.release.run();
    if (unitHooks) unitHooks.length = hooksBefore; // the unit's writes are gone: so are its hooks
    else hooks.delete(sqlite);
    throw error;
  }
  tx.release.run();
  return result;
}

/**
 * `offThread`: the batch's COMMIT does not sync (its WalSync does); any write outside a batch still
 * syncs inside its own COMMIT. Set before BEGIN: SQLite refuses it inside a transaction. Run, not
 * prepared: SQLite applies this pragma when it compiles it, so a prepared one run again does not
 * reliably apply it (~1 µs each).
 */
function begin(tx: TxStatements, sqlite: Database, database: string, offThread: boolean): void {
  if (offThread) sqlite.run("PRAGMA synchronous = NORMAL");
  for (let attempt = 1; ; attempt++) {
    try {
      tx.begin.run();
      return;
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code !== "SQLITE_BUSY" || attempt >= 3) {
        if (offThread) syncInCommitAgain(sqlite);
        throw error;
      }
      sqliteBusyRetries.inc({ database });
      Bun.sleepSync(20 * attempt);
    }
  }
}

function scheduleFlush(): void {
  if (flushScheduled) return;
  flushScheduled = true;
  setImmediate(flush);
}

/**
 * Where a batch's commit is synced, for connections with a WalSync: `in-commit`, by SQLite inside
 * COMMIT (FULL) on the event loop's thread, the least CPU; `thread-pool`, by the WalSync while the
 * event loop serves other requests, more checkouts per second under load for two thread wake-ups
 * per sync (on this project's VMs +36% CPU per checkout at 100/s, bench/README.md); `auto`, the
 * thread pool while the process is busy (over half a core lately), else in COMMIT.
 */
export const COMMIT_SYNCS = ["auto", "thread-pool", "in-commit"] as const;
export type CommitSync = (typeof COMMIT_SYNCS)[number];
let commitSync: CommitSync = "auto";
const busyProcess = new BusyProcess();

/** SQLITE_COMMIT_SYNC, set once by the entrypoint. */
export function setCommitSync(mode: CommitSync): void {
  commitSync = mode;
}

function syncOnThreadPool(): boolean {
  return commitSync === "thread-pool" || (commitSync === "auto" && busyProcess.isBusy());
}

/** Per connection whose batches may be synced on the thread pool: its WAL's syncer. */
const walSyncs = new WeakMap<Database, WalSync>();
/** The connections whose open batch commits at NORMAL, for its WalSync to sync. */
const pooled = new Set<Database>();
/** Syncs started by earlier flushes and not yet returned: later waiters wait for them too. */
const syncing = new Set<Promise<void>>();

/**
 * The connection's batches may be put on disk by `walSync`, off the event loop's thread
 * (wal-sync.ts), instead of by SQLite inside COMMIT (see CommitSync): such a batch commits at
 * synchronous=NORMAL, and the connection is back at FULL after it (open-database.ts).
 */
export function syncCommitsOffThread(sqlite: Database, walSync: WalSync): void {
  walSyncs.set(sqlite, walSync);
}

/**
 * Commits every open batch and starts the syncs of the WALs they wrote, then, once those (and any
 * still running from earlier flushes) returned, runs the batches' afterCommit hooks and answers the
 * waiters: rejected if any commit or sync failed (a failed commit keeps nothing of its batch).
 */
function flush(): void {
  flushScheduled = false;
  let failure: unknown;
  const committed: Array<() => void> = [];
  const syncs: Array<Promise<void>> = [];
  for (const sqlite of [...open]) {
    const result = commit(sqlite);
    if ("error" in result) {
      failure ??= result.error;
      continue;
    }
    committed.push(...result.hooks);
    if (result.pooled) syncs.push(walSyncs.get(sqlite)!.sync());
  }
  const answered = waiting;
  waiting = [];
  // The hooks of the batches that committed run once they are on disk, even when another batch failed.
  const settle = (syncError: unknown) => {
    if (!syncError) for (const hook of committed) hook();
    const error = failure ?? syncError;
    for (const w of answered) error ? w.reject(error) : w.resolve();
  };
  if (syncs.length === 0 && syncing.size === 0) return settle(undefined);
  const onDisk = Promise.all([...syncing, ...syncs]).then(() => undefined);
  syncing.add(onDisk);
  onDisk.then(
    () => {
      syncing.delete(onDisk);
      settle(undefined);
    },
    (error) => {
      syncing.delete(onDisk);
      settle(error);
    },
  );
}

/** Back to FULL after a batch: a write outside a batch syncs inside its own COMMIT. */
function syncInCommitAgain(sqlite: Database): void {
  try {
    sqlite.run("PRAGMA synchronous = FULL");
  } catch {
    // closed under us: no more writes on it
  }
}

/**
 * Never throws: a flush must always answer its waiters. Returns the batch's afterCommit hooks, for
 * the caller to run once it is on disk, and whether its WalSync still has to sync it (`pooled`).
 */
function commit(sqlite: Database): { hooks: Array<() => void>; pooled: boolean } | { error: unknown } {
  open.delete(sqlite);
  const wasPooled = pooled.delete(sqlite);
  const committed = hooks.get(sqlite) ?? [];
  hooks.delete(sqlite);
  const tx = txStatements(sqlite);
  try {
    tx.commit.run();
  } catch (error) {
    try {
      if (sqlite.inTransaction) tx.rollback.run();
    } catch {
      // closed under us: nothing left to undo
    }
    return { error };
  } finally {
    if (wasPooled && !sqlite.inTransaction) syncInCommitAgain(sqlite);
  }
  return { hooks: committed, pooled: wasPooled };
}

/**
 * Runs `hook` once the batch holding the current unit of work has committed and is on disk (before
 * anyone waiting on `writesOnDisk()` resumes); never if the unit rolls back or the commit or its sync fails. Only
 * inside `joinCommitBatch`; returns false (and registers nothing) anywhere else. A hook must not throw.
 */
export function afterCommit(sqlite: Database, hook: () => void): boolean {
  if (!open.has(sqlite) || !sqlite.inTransaction) return false;
  let list = hooks.get(sqlite);
  if (!list) hooks.set(sqlite, (list = []));
  list.push(hook);
  return true;
}

/**
 * "My writes must be on disk before the next step": resolves once every unit of work run so far,
 * on every connection, has committed; rejects when a commit failed. Costs nothing when no batch is
 * open.
 */
export function writesOnDisk(): Promise<void> {
  if (open.size === 0) return syncing.size === 0 ? Promise.resolve() : Promise.all([...syncing]).then(() => undefined);
  return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
}

/** Commits this connection's open batch now (before closing it). */
export function commitNow(sqlite: Database): void {
  if (!open.has(sqlite)) return;
  const result = commit(sqlite);
  if ("error" in result) throw result.error;
  if (result.pooled) walSyncs.get(sqlite)!.syncNow();
  for (const hook of result.hooks) hook();
}

/**
 * An in-process call into another module, with the durability of an HTTP answer: the callee's
 * writes are on disk before the caller goes on (a step of a saga is on disk before the next acts).
 *
 * It does not wait for the caller's own writes first (that would cost every call one more commit
 * round); where that order matters the caller awaits `writesOnDisk()` itself: the checkout's
 * PENDING order before any stock moves, a cancellation's intent before the refund. A crash
 * between the commits of one flush then leaves only states that recovery settles (a PAID order
 * whose cart is still full gets it emptied by order.paid; a PENDING order whose cart was emptied
 * and whose payment was captured is completed).
 */
export async function acrossBoundary<T>(call: () => T | Promise<T>): Promise<T> {
  const result = await call();
  await writesOnDisk();
  return result;
}
