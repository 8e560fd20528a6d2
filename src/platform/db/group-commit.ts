import type { Database, Statement } from "bun:sqlite";
import { sqliteBusyRetries } from "../observability/metrics";

/**
 * SQLite's group commit. Every unit of work on a connection during one event-loop turn joins one
 * SQLite transaction, the turn's commit batch (BEGIN IMMEDIATE on first use), each unit in its own
 * savepoint so a unit that throws undoes only its own writes. The batch commits at the end of the
 * turn (setImmediate): concurrent requests share one commit, and the pages they all touch (the
 * newest leaf of a table or index) reach the WAL once instead of once each.
 *
 * The price: when `joinCommitBatch` returns, the unit's writes are atomic but not on disk yet.
 * Whatever shows them outside this process first awaits `writesOnDisk()`: an HTTP response
 * (create-app does it for every response), an event handed to a bus (the relay), an offset
 * committed to Kafka (the buses), a call to another service (ServiceClient). A call into another
 * module in this process returns once the callee's writes are on disk (acrossBoundary); a caller
 * whose own earlier writes must be on disk before the callee acts says so with `writesOnDisk()`
 * (the checkout's PENDING order, a cancellation's recorded intent). `afterCommit` leaves work for
 * the moment a unit's batch has committed (the outbox hands its committed events to the relay).
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
    begin(tx, database);
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

function begin(tx: TxStatements, database: string): void {
  for (let attempt = 1; ; attempt++) {
    try {
      tx.begin.run();
      return;
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code !== "SQLITE_BUSY" || attempt >= 3) throw error;
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

/** Commits every open batch, then answers the waiters: rejected if any commit failed (nothing of that batch is kept). */
function flush(): void {
  flushScheduled = false;
  let failure: unknown;
  for (const sqlite of [...open]) {
    const error = commit(sqlite);
    if (error) failure ??= error;
  }
  const answered = waiting;
  waiting = [];
  for (const w of answered) failure ? w.reject(failure) : w.resolve();
}

/** Never throws: a flush must always answer its waiters. */
function commit(sqlite: Database): unknown {
  open.delete(sqlite);
  const committed = hooks.get(sqlite);
  hooks.delete(sqlite);
  try {
    txStatements(sqlite).commit.run();
  } catch (error) {
    try {
      if (sqlite.inTransaction) txStatements(sqlite).rollback.run();
    } catch {
      // closed under us: nothing left to undo
    }
    return error;
  }
  if (committed) for (const hook of committed) hook();
  return undefined;
}

/**
 * Runs `hook` right after the batch holding the current unit of work commits (before anyone
 * waiting on `writesOnDisk()` resumes); never if the unit rolls back or the commit fails. Only
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
  if (open.size === 0) return Promise.resolve();
  return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
}

/** Commits this connection's open batch now (before closing it). */
export function commitNow(sqlite: Database): void {
  if (!open.has(sqlite)) return;
  const error = commit(sqlite);
  if (error) throw error;
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
