// Preloaded into a shop process (bun --preload) to count its SQLite work: statements prepared,
// statements executed by kind, and commits (transactions plus autocommitted writes). SIGUSR1
// resets the counts; SIGUSR2 writes them as JSON to $BENCH_SQL_COUNTS. Used by checkout-anatomy.ts.
import { Database, type Statement } from "bun:sqlite";
import { writeFileSync } from "node:fs";

const counts: Record<string, number> = {};
const bump = (key: string) => void (counts[key] = (counts[key] ?? 0) + 1);
const kindOf = (sql: string) => sql.trimStart().split(/\s/, 1)[0]!.toUpperCase();
const wrapped = new WeakSet<Statement>();

/** bun:sqlite puts run/get/all/values on each statement (not its prototype): wrap them there. */
function watch(db: Database, stmt: Statement, kind: string): void {
  if (wrapped.has(stmt)) return; // db.query() hands out its cached statement again
  wrapped.add(stmt);
  for (const method of ["run", "get", "all", "values"] as const) {
    const original = (stmt as any)[method];
    (stmt as any)[method] = (...params: unknown[]) => {
      bump(`executed: ${kind}`);
      if (kind !== "SELECT" && !db.inTransaction) bump("commits: autocommitted writes");
      return original.apply(stmt, params);
    };
  }
}

for (const method of ["prepare", "query"] as const) {
  const original = Database.prototype[method] as (this: Database, sql: string, ...rest: unknown[]) => Statement;
  (Database.prototype as any)[method] = function (this: Database, sql: string, ...rest: unknown[]) {
    const stmt = original.call(this, sql, ...rest);
    if (method === "prepare") bump("statements prepared (drizzle prepares on every call)");
    watch(this, stmt, kindOf(sql));
    return stmt;
  };
}
const originalTransaction = Database.prototype.transaction;
Database.prototype.transaction = function (this: Database, fn: any) {
  const tx = originalTransaction.call(this, fn) as any;
  const db = this;
  const counted = (run: (...a: unknown[]) => unknown) => (...a: unknown[]) => {
    if (!db.inTransaction) bump("commits: transactions");
    return run(...a);
  };
  const wrapped: any = counted(tx);
  for (const mode of ["deferred", "immediate", "exclusive"]) wrapped[mode] = counted(tx[mode]);
  return wrapped;
} as any;

process.on("SIGUSR1", () => {
  for (const k of Object.keys(counts)) delete counts[k];
});
process.on("SIGUSR2", () => writeFileSync(process.env.BENCH_SQL_COUNTS!, JSON.stringify(counts)));
