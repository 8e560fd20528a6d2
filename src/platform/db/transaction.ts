import type { Database, Statement } from "bun:sqlite";
import { sqliteBusyRetries } from "../observability/metrics";

interface TxStatements {
  begin: Statement;
  commit: Statement;
  rollback: Statement;
  savepoint: Statement;
  release: Statement;
  rollbackTo: Statement;
}
const statements = new WeakMap<Database, TxStatements>();

/** BEGIN/COMMIT/ROLLBACK prepared once per connection (db.transaction(fn) built a new wrapper per call). */
function txStatements(sqlite: Database): TxStatements {
  let s = statements.get(sqlite);
  if (!s) {
    s = {
      begin: sqlite.prepare("BEGIN IMMEDIATE"),
      commit: sqlite.prepare("COMMIT"),
      rollback: sqlite.prepare("ROLLBACK"),
      savepoint: sqlite.prepare("SAVEPOINT nested"),
      release: sqlite.prepare("RELEASE nested"),
      rollbackTo: sqlite.prepare("ROLLBACK TO nested"),
    };
    statements.set(sqlite, s);
  }
  return s;
}

/**
 * Runs `work` as one synchronous BEGIN IMMEDIATE transaction (the write lock is taken up front, so
 * two writers never deadlock upgrading a read lock). `work` must not await: it would run on after
 * the commit. Called inside another transaction, `work` runs in a savepoint of it (its failure
 * undoes only its own writes). A writer in another process
 * holding the lock past the busy timeout surfaces as SQLITE_BUSY: retried a few times, and counted.
 */
export function inTransaction<T>(sqlite: Database, work: () => T, database = "unknown"): T {
  const tx = txStatements(sqlite);
  if (sqlite.inTransaction) return inSavepoint(tx, work);
  for (let attempt = 1; ; attempt++) {
    try {
      tx.begin.run();
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code !== "SQLITE_BUSY" || attempt >= 3) throw error;
      sqliteBusyRetries.inc({ database });
      Bun.sleepSync(20 * attempt);
      continue;
    }
    let result: T;
    try {
      result = work();
      tx.commit.run();
    } catch (error) {
      if (sqlite.inTransaction) tx.rollback.run();
      throw error;
    }
    return result;
  }
}

function inSavepoint<T>(tx: TxStatements, work: () => T): T {
  tx.savepoint.run();
  try {
    const result = work();
    tx.release.run();
    return result;
  } catch (error) {
    tx.rollbackTo.run();
    tx.release.run();
    throw error;
  }
}
