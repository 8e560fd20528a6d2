// SQLite time per checkout under the bench's checkout load: runs the all-in-one shop with
// time-sql.preload.ts, drives the checkout workload (warm-up included), and prints each
// statement's executions and wall time per paid checkout, COMMITs of the group commit included.
//   bun bench/micro/sql-under-load.ts [--seconds N] [--connections N]   (loopback, wrk, bounded)
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "../../test/support/processes";
import { parseArgs } from "../lib/args";
import { prepareShop } from "../lib/prepare";
import { startInstrumentedShop } from "../lib/shops";
import { checkoutWorkload } from "../lib/workloads";

const args = { ...parseArgs(process.argv.slice(2)), warmupSeconds: 1 };
const timesFile = join(tempDir("bench-sql-times-"), "times.json");
const shop = await startInstrumentedShop(["--preload", join(import.meta.dir, "time-sql.preload.ts")], { BENCH_SQL_TIMES: timesFile });
const { url, proc } = shop;
try {
  const runId = Date.now().toString(36);
  const prepared = await prepareShop(url, { customers: args.connections, runId });
  proc.kill("SIGUSR1");
  const result = await checkoutWorkload(url, prepared.customerLines, [proc.pid], args, runId);
  await Bun.sleep(300); // events still being handled
  proc.kill("SIGUSR2");
  await Bun.sleep(300);
  const times = JSON.parse(readFileSync(timesFile, "utf8")) as Record<string, { n: number; ms: number }>;
  const paid = Object.entries(times).find(([sql]) => /^INSERT INTO "?payments"? /.test(sql))?.[1].n ?? 0;
  const rows = Object.entries(times).sort((a, b) => b[1].ms - a[1].ms);
  const total = rows.reduce((sum, [, t]) => sum + t.ms, 0);
  console.log(`${result.ordersPerSecond.toFixed(0)} checkouts/s in the window; ${paid} payments written (warm-up included)`);
  console.log(`SQLite wall time per checkout: ${((1000 * total) / paid).toFixed(0)} µs\n   runs    µs  statement`);
  const short = (sql: string) => (sql.length > 110 ? `${sql.slice(0, 62)} … ${sql.slice(-45)}` : sql);
  for (const [sql, t] of rows.slice(0, 20)) console.log(`${(t.n / paid).toFixed(2).padStart(7)} ${((1000 * t.ms) / paid).toFixed(1).padStart(5)}  ${short(sql)}`);
} finally {
  await shop.stop();
  rmSync(join(timesFile, ".."), { recursive: true, force: true });
}
