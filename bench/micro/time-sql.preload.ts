// Preloaded into a shop process (bun --preload) to time its SQLite statements: wall time and
// count per statement text, including BEGIN/COMMIT of the group commits. SIGUSR1 resets the
// figures; SIGUSR2 writes them as JSON to $BENCH_SQL_TIMES. Used by sql-under-load.ts.
// (The CPU profiler files time spent inside bun:sqlite under a few native frames; this names the statements.)
import { Database, type Statement } from "bun:sqlite";
import { writeFileSync } from "node:fs";

const times: Record<string, { n: number; ms: number }> = {};
const wrapped = new WeakSet<Statement>();

function watch(stmt: Statement, sql: string): void {
  if (wrapped.has(stmt)) return;
  wrapped.add(stmt);
  const key = sql.replace(/\s+/g, " ").trim();
  for (const method of ["run", "get", "all", "values"] as const) {
    const original = (stmt as any)[method];
    (stmt as any)[method] = (...params: unknown[]) => {
      const started = performance.now();
      try {
        return original.apply(stmt, params);
      } finally {
        const t = (times[key] ??= { n: 0, ms: 0 });
        t.n++;
        t.ms += performance.now() - started;
      }
    };
  }
}

for (const method of ["prepare", "query"] as const) {
  const original = Database.prototype[method] as (this: Database, sql: string, ...rest: unknown[]) => Statement;
  (Database.prototype as any)[method] = function (this: Database, sql: string, ...rest: unknown[]) {
    const stmt = original.call(this, sql, ...rest);
    watch(stmt, sql);
    return stmt;
  };
}

process.on("SIGUSR1", () => {
  for (const k of Object.keys(times)) delete times[k];
});
process.on("SIGUSR2", () => writeFileSync(process.env.BENCH_SQL_TIMES!, JSON.stringify(times)));
