import type { Database } from "bun:sqlite";
import { sqliteBusyRetries } from "../observability/metrics";

/**
 * Runs `work` as one synchronous BEGIN IMMEDIATE transaction (the write lock is taken up front, so
 * two writers never deadlock upgrading a read lock). `work` must not await: bun:sqlite would
 * commit at the first await. A writer in another process holding the lock past the busy timeout
 * surfaces as SQLITE_BUSY: retried a few times, and counted.
 */
export function inTransaction<T>(sqlite: Database, work: () => T, database = "unknown"): T {
  for (let attempt = 1; ; attempt++) {
    try {
      return sqlite.transaction(work).immediate();
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code !== "SQLITE_BUSY" || attempt >= 3) throw error;
      sqliteBusyRetries.inc({ database });
      Bun.sleepSync(20 * attempt);
    }
  }
}
