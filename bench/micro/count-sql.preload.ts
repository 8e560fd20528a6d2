// Preloaded into a shop process (bun --preload) to count its SQLite work: statements prepared,
// statements executed by kind (COMMIT: the group commits, src/platform/db/group-commit.ts), and
// writes that committed on their own (autocommit, outside any batch). SIGUSR1
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
      if (!["SELECT", "BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE"].includes(kind) && !db.inTransaction) bump("autocommitted writes");
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
process.on("SIGUSR1", () => {
  for (const k of Object.keys(counts)) delete counts[k];
});
process.on("SIGUSR2", () => writeFileSync(process.env.BENCH_SQL_COUNTS!, JSON.stringify(counts)));
