// CPU per checkout, process by process: the checkout workload against the all-in-one shop and the
// split shop (gateway, four services, Kafka's JVM, and PostgreSQL's processes with --engine
// postgres), each process's user+system time over the window divided by the paid orders.
//   bun bench/split-cpu.ts [--mode all|split|both] [--engine sqlite|postgres] [--replicas 1,2] [--rate N] [--seconds N] [--warmup N] [--connections N] [--profile] [--no-save]
// --replicas: split mode once per count of processes per module service (more than 1: PostgreSQL only).
// --rate: every shop at the same N checkouts/s (paced customers) instead of as fast as each goes: CPU per
// checkout at equal load: the cores each shop needs for the same traffic. CPU per
// checkout falls as the rate rises (idle work and shared round trips spread over more checkouts), so
// flat-out runs compare each shop at its own rate; a shop that cannot keep up shows a lower orders/s.
// --warmup: before the window, the same load, unmeasured, until the JIT compilers go quiet (their threads
// spent under 5% of the shop's CPU in the last 10 s; at most 240 s), or for N seconds with --warmup N
// (0: none). Right after start the compilers are still at work, a one-time cost a running deployment no
// longer pays: at 100 checkouts/s Kafka's C2 thread was half the JVM's CPU 30 s in, and the JVM's CPU per
// checkout fell from 2.2 to 0.6 ms after ~100 s (bench/README.md); split mode pays it in six runtimes,
// all-in-one in one.
// Prints a markdown table and writes it to bench/results/<date>-cpu-per-checkout-<engine>.md.
// --profile runs every Bun process under `--cpu-prof` and prints each one's summary (bench/lib/profile-summary.ts).
// Loopback only; each window is bounded by time and count (--requests).
import { readdirSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { parseArgs } from "./lib/args";
import { compilerCpuSeconds, processCpuSeconds } from "./lib/cpu";
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
const save = !argv.includes("--no-save"); // --no-save: print the table only (the tests' runs)
const replicasAt = argv.indexOf("--replicas");
const replicaCounts = replicasAt >= 0 ? argv.splice(replicasAt, 2)[1]!.split(",").map(Number) : [1];
const rateAt = argv.indexOf("--rate");
const rate = rateAt >= 0 ? Number(argv.splice(rateAt, 2)[1]) : 0;
if (!Number.isInteger(rate) || rate < 0) throw new Error("--rate must be a whole number of checkouts per second, e.g. 40");
if (replicaCounts.some((n) => !Number.isInteger(n) || n < 1 || n > 4)) throw new Error("--replicas must list whole numbers from 1 to 4, e.g. 1,2");
const args = parseArgs(argv.filter((a) => a !== "--profile" && a !== "--no-save"));
const fixedWarmup = argv.some((a) => a === "--warmup" || a.startsWith("--warmup=")) ? args.warmupSeconds : undefined;
if (args.engines.length > 1) args.engines = ["sqlite"];
const engine = args.engines[0]!;
ensureWrk();
const log = (msg: string) => console.error(`[split-cpu ${new Date().toISOString().slice(11, 19)}] ${msg}`);

const profDir = profile ? tempDir("bench-split-prof-") : undefined;
// Every Bun process the shop starts inherits BUN_OPTIONS: each writes its own .cpuprofile on exit.
if (profDir) process.env.BUN_OPTIONS = `--cpu-prof --cpu-prof-dir=${profDir} --cpu-prof-interval=500`;

/**
 * The window's load, unmeasured, in 10 s rounds until the JIT compiler threads of every process spent
 * under 5% of their CPU in the last round (at most 240 s), or for --warmup N seconds. Returns the seconds spent.
 */
async function warmUp(url: string, customerLines: string[], serverPids: number[], pids: number[], id: string, mode: string): Promise<number> {
  const round = fixedWarmup ?? 10;
  if (round === 0) return 0;
  const overPids = (seconds: (pid: number) => number) => pids.reduce((t, p) => t + seconds(p), 0);
  let spent = 0;
  for (let n = 0; ; n++) {
    const [cpu0, jit0] = [overPids(processCpuSeconds), overPids(compilerCpuSeconds)];
    await checkoutWorkload(url, customerLines, serverPids, { ...args, seconds: round, warmupSeconds: 0 }, `${id}${n}`, rate);
    spent += round;
    const jitShare = (overPids(compilerCpuSeconds) - jit0) / Math.max(overPids(processCpuSeconds) - cpu0, 0.01);
    log(`${mode}: warm-up, ${spent} s: JIT compilers ${(jitShare * 100).toFixed(1)}% of the shop's CPU`);
    if (fixedWarmup !== undefined || jitShare < 0.05 || spent >= 240) break;
  }
  await Bun.sleep(2000); // what the warm-up left in the outboxes reaches its consumers
  return spent;
}

const postgres: BenchPostgres | undefined = engine === "postgres" ? await startBenchPostgres(args.postgresSync) : undefined;
const rows: string[] = [];
const table: string[] = [];
const runId = Date.now().toString(36);

try {
  const runs: Array<[Mode, number]> = args.modes.flatMap((m): Array<[Mode, number]> => (m === "all" ? [[m, 1]] : replicaCounts.map((n): [Mode, number] => [m, n])));
  for (const [mode, replicas] of runs) {
    const tag = mode === "all" ? "all-in-one" : `split, ${replicas} replica${replicas > 1 ? "s" : ""} per service`;
    log(`starting ${tag} on ${engine}`);
    const shop = await startShop(mode as Mode, postgres ? await postgres.database(`cpu_${mode}_${replicas}_${runId}`) : undefined, { replicas });
    try {
      const prepared = await prepareShop(shop.url, { customers: args.connections, runId: `${runId}${mode[0]}` });
      const pids: Array<[string, number]> = [...Object.entries(shop.pidsByName), ...(shop.brokerPid ? [["kafka (JVM)", shop.brokerPid] as [string, number]] : [])];
      const warmedFor = await warmUp(shop.url, prepared.customerLines, shop.serverPids, pids.map(([, pid]) => pid), `${runId}${mode[0]}w`, mode);
      // What the processes spend with no traffic (heartbeats, polls, timers), over 5 s.
      const idle0 = pids.map(([, pid]) => processCpuSeconds(pid));
      await Bun.sleep(5000);
      const idleRate = pids.map(([, pid], i) => (processCpuSeconds(pid) - idle0[i]!) / 5); // CPU seconds per second
      log(`${mode}: idle, % of one core: ${pids.map(([name], i) => `${name} ${(idleRate[i]! * 100).toFixed(1)}%`).join(", ")}`);
      const before = pids.map(([, pid]) => processCpuSeconds(pid));
      const started = performance.now();
      const pg = postgres ? measurePostgres(postgres.server.pid) : undefined;
      log(`${mode}: checkout window`);
      const result = await checkoutWorkload(shop.url, prepared.customerLines, shop.serverPids, { ...args, warmupSeconds: 0 }, `${runId}${mode[0]}`, rate);
      const pgUse = pg?.stop();
      const windowSeconds = (performance.now() - started) / 1000;
      const perCheckout = pids.map(([name, pid], i) => [name, ((processCpuSeconds(pid) - before[i]!) * 1000) / Math.max(1, result.paid)] as [string, number]);
      // The same less what the processes spend idle (heartbeats, polls, timers) over as long: the work the checkouts added.
      const idleShare = pids.reduce((t, _, i) => t + idleRate[i]! * windowSeconds * 1000, 0) / Math.max(1, result.paid);
      if (pgUse) perCheckout.push(["postgres", (pgUse.cpuPct / 100) * (performance.now() - started) / Math.max(1, result.paid)]);
      const total = perCheckout.reduce((s, [, ms]) => s + ms, 0);
      const sum = (match: (name: string) => boolean) => perCheckout.filter(([n]) => match(n)).reduce((t, [, ms]) => t + ms, 0);
      const ours = sum((n) => n !== "kafka (JVM)" && n !== "postgres");
      table.push(
        `| ${tag} | ${result.ordersPerSecond.toFixed(0)} | ${result.errors} | ${ours.toFixed(2)} | ${pids.length - (shop.brokerPid ? 1 : 0)} | ${shop.brokerPid ? sum((n) => n === "kafka (JVM)").toFixed(2) : "–"} | ${pgUse ? sum((n) => n === "postgres").toFixed(2) : "–"} | **${total.toFixed(2)}** | ${(total - idleShare).toFixed(2)} | ${warmedFor} |`,
      );
      rows.push(
        `${tag} on ${engine} (after ${warmedFor} s of warm-up): ${result.paid} paid, ${result.ordersPerSecond.toFixed(0)} orders/s, ${result.errors} errors; CPU per checkout ${total.toFixed(2)} ms = ` +
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
const header = [
  `CPU per checkout on ${engine} (${new Date().toISOString().slice(0, 16)}Z, \`bun bench/split-cpu.ts\`, ${args.seconds} s window after a warm-up, ${args.connections} customers${rate ? `, paced to ${rate} checkouts/s` : ", as fast as they go"}; load average ${loadavg().map((l) => l.toFixed(1)).join(" ")} at the end)`,
  "",
  "| shop | orders/s | errors | our processes, ms CPU | processes | Kafka JVM, ms | PostgreSQL, ms | all, ms CPU per checkout | all less idle use, ms | warm-up, s |",
  "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
];
const markdown = [...header, ...table].join("\n");
console.log(`\n${markdown}\n`);
const file = join(import.meta.dir, "results", `${new Date().toISOString().slice(0, 10)}-cpu-per-checkout-${engine}${rate ? `-at-${rate}-per-second` : ""}.md`);
if (save) {
  writeFileSync(file, `# CPU per checkout\n\n${markdown}\n`);
  console.log(`written: ${file}`);
}
if (profDir) {
  // Each file is named CPU.<date>.<time>.<pid>.…: the pid names the process (the row above lists them).
  for (const f of readdirSync(profDir).filter((f) => f.endsWith(".cpuprofile"))) {
    console.log(`\n=== ${join(profDir, f)}\n${summarize(join(profDir, f), 15)}`);
  }
}
process.exit(0);
