// CPU per checkout, process by process: the checkout workload against the all-in-one shop and the
// split shop (gateway, four services, Kafka's JVM, and PostgreSQL's processes with --engine
// postgres), each process's user+system time over the window divided by the paid orders.
//   bun bench/split-cpu.ts [--mode all|split|both] [--engine sqlite|postgres] [--seconds N] [--connections N] [--profile]
// --profile runs every Bun process under `--cpu-prof` and prints each one's summary (bench/lib/profile-summary.ts).
// Loopback only; each window is bounded by time and count (--requests).
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "./lib/args";
import { processCpuSeconds } from "./lib/cpu";
import { startBenchPostgres, type BenchPostgres } from "./lib/postgres-for-bench";
import { measurePostgres } from "./lib/postgres-usage";
import { prepareShop } from "./lib/prepare";
import { summarize } from "./lib/profile-summary";
import { startShop, type Mode } from "./lib/shops";
import { checkoutWorkload } from "./lib/workloads";
import { ensureWrk } from "./lib/wrk";
import { tempDir } from "../test/support/processes";

const argv = process.argv.slice(2);
const profile = argv.includes("--profile");
const args = parseArgs(argv.filter((a) => a !== "--profile"));
if (args.engines.length > 1) args.engines = ["sqlite"];
const engine = args.engines[0]!;
ensureWrk();
const log = (msg: string) => console.error(`[split-cpu ${new Date().toISOString().slice(11, 19)}] ${msg}`);

const profDir = profile ? tempDir("bench-split-prof-") : undefined;
// Every Bun process the shop starts inherits BUN_OPTIONS: each writes its own .cpuprofile on exit.
if (profDir) process.env.BUN_OPTIONS = `--cpu-prof --cpu-prof-dir=${profDir} --cpu-prof-interval=500`;

const postgres: BenchPostgres | undefined = engine === "postgres" ? await startBenchPostgres(args.postgresSync) : undefined;
const rows: string[] = [];
const runId = Date.now().toString(36);

try {
  for (const mode of args.modes) {
    log(`starting ${mode} on ${engine}`);
    const shop = await startShop(mode as Mode, postgres ? await postgres.database(`cpu_${mode}_${runId}`) : undefined);
    try {
      const prepared = await prepareShop(shop.url, { customers: args.connections, runId: `${runId}${mode[0]}` });
      const pids: Array<[string, number]> = [...Object.entries(shop.pidsByName), ...(shop.brokerPid ? [["kafka (JVM)", shop.brokerPid] as [string, number]] : [])];
      // What the processes spend with no traffic (heartbeats, polls, timers), over 5 s.
      const idle0 = pids.map(([, pid]) => processCpuSeconds(pid));
      await Bun.sleep(5000);
      const idle = pids.map(([name, pid], i) => `${name} ${(((processCpuSeconds(pid) - idle0[i]!) / 5) * 100).toFixed(1)}%`);
      log(`${mode}: idle, % of one core: ${idle.join(", ")}`);
      const before = pids.map(([, pid]) => processCpuSeconds(pid));
      const started = performance.now();
      const pg = postgres ? measurePostgres(postgres.server.pid) : undefined;
      log(`${mode}: checkout window`);
      const result = await checkoutWorkload(shop.url, prepared.customerLines, shop.serverPids, { ...args, warmupSeconds: 0 }, `${runId}${mode[0]}`);
      const pgUse = pg?.stop();
      const perCheckout = pids.map(([name, pid], i) => [name, ((processCpuSeconds(pid) - before[i]!) * 1000) / Math.max(1, result.paid)] as [string, number]);
      if (pgUse) perCheckout.push(["postgres", (pgUse.cpuPct / 100) * (performance.now() - started) / Math.max(1, result.paid)]);
      const total = perCheckout.reduce((s, [, ms]) => s + ms, 0);
      rows.push(
        `${mode} on ${engine}: ${result.paid} paid, ${result.ordersPerSecond.toFixed(0)} orders/s, ${result.errors} errors; CPU per checkout ${total.toFixed(2)} ms = ` +
          perCheckout.map(([n, ms]) => `${n} ${ms.toFixed(2)}`).join(" + ") + ` (pids: ${pids.map(([n, p]) => `${n} ${p}`).join(", ")})`,
      );
      log(rows.at(-1)!);
    } finally {
      await shop.stop();
    }
  }
} finally {
  await postgres?.stop();
}
console.log(rows.join("\n"));
if (profDir) {
  // Each file is named CPU.<date>.<time>.<pid>.…: the pid names the process (the row above lists them).
  for (const f of readdirSync(profDir).filter((f) => f.endsWith(".cpuprofile"))) {
    console.log(`\n=== ${join(profDir, f)}\n${summarize(join(profDir, f), 15)}`);
  }
}
process.exit(0);
