// What the default per-request info log costs reads: two all-in-one shops side by side, one at
// LOG_LEVEL=info (as `npm start` runs) and one at LOG_LEVEL=warn (no request lines), each writing
// its stdout to a file as a log shipper or `> shop.log` would; their GET-by-id windows interleaved
// (info, warn, info, warn, ...) so both see the same machine. Prints req/s and server CPU per
// 1,000 requests for each, and the cost of the log line as the relative difference.
//   bun bench/micro/request-log.ts [--rounds N] [--levels info,warn] [--pairs N] [--seconds N] [--connections N]   (loopback, wrk, bounded)
// --levels warn,warn (or info,info) is the A/A check: how far two identical shops differ on this machine.
// --pairs N starts N shops of each level (default 1) and takes the medians over all of them: a fresh
// Bun process reads a few % faster or slower than another for the whole of its life, which
// alternating rounds between two processes cannot cancel.
import { rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { freePort, repoRoot, tempDir, waitForOk } from "../../test/support/processes";
import { parseArgs } from "../lib/args";
import { prepareShop } from "../lib/prepare";
import { readWorkload } from "../lib/workloads";
import { ensureWrk } from "../lib/wrk";

const argv = process.argv.slice(2);
const roundsAt = argv.indexOf("--rounds");
const rounds = roundsAt >= 0 ? Number(argv.splice(roundsAt, 2)[1]) : 3;
if (!Number.isInteger(rounds) || rounds < 1 || rounds > 20) throw new Error("--rounds must be a whole number from 1 to 20");
ensureWrk();

const levelsAt = argv.indexOf("--levels");
const LEVELS = levelsAt >= 0 ? argv.splice(levelsAt, 2)[1]!.split(",") : ["info", "warn"];
if (LEVELS.length !== 2 || LEVELS.some((l) => !["debug", "info", "warn", "error", "silent"].includes(l))) throw new Error("--levels takes two log levels, e.g. info,warn");
const pairsAt = argv.indexOf("--pairs");
const pairs = pairsAt >= 0 ? Number(argv.splice(pairsAt, 2)[1]) : 1;
if (!Number.isInteger(pairs) || pairs < 1 || pairs > 4) throw new Error("--pairs must be a whole number from 1 to 4");
const args = { ...parseArgs(argv), warmupSeconds: 1 };
const scratch = tempDir("bench-request-log-");
const shops = await Promise.all(
  Array.from({ length: pairs }, () => LEVELS).flat().map(async (level, i) => {
    const port = freePort();
    const logFile = join(scratch, `${i}-${level}.log`);
    const proc = Bun.spawn(["bun", join(repoRoot, "src", "entrypoints", "all.ts")], {
      cwd: repoRoot,
      env: { ...process.env, NODE_ENV: "development", LOG_LEVEL: level, SEED_CATALOG: "true", HOST: "127.0.0.1", PORT: String(port), DATA_DIR: join(scratch, `${i}-${level}`) },
      stdout: Bun.file(logFile),
      stderr: "inherit",
    });
    const url = `http://127.0.0.1:${port}`;
    await waitForOk(`${url}/health/ready`, 60_000, proc);
    return { level, url, proc, logFile, rps: [] as number[], cpuPerK: [] as number[] };
  }),
);
try {
  const paths = await Promise.all(shops.map(async (s) => (await prepareShop(s.url, { customers: 1, runId: `${Date.now().toString(36)}${s.level}`, checkoutProducts: 1 })).productPaths));
  for (let r = 0; r < rounds; r++) {
    const order = shops.map((_, i) => i);
    for (const [i, shop] of (r % 2 === 0 ? order : order.reverse()).map((i) => [i, shops[i]!] as const)) {
      const result = await readWorkload(shop.url, paths[i]!, [shop.proc.pid], args);
      if (result.errors > 0) throw new Error(`${shop.level}: ${result.errors} errors (${result.badSample})`);
      shop.rps.push(result.rps);
      shop.cpuPerK.push(((result.cpu.serverPct / 100) * 1000) / result.rps * 1000);
      console.error(`round ${r + 1} ${shop.level}: ${Math.round(result.rps)} req/s, server CPU ${result.cpu.serverPct.toFixed(0)}%`);
    }
  }
} finally {
  for (const s of shops) s.proc.kill("SIGTERM");
  await Promise.all(shops.map((s) => s.proc.exited));
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
// Side 0 is the first of --levels, side 1 the second (shops alternate: 0, 1, 0, 1, ...).
const sides = [0, 1].map((side) => {
  const mine = shops.filter((_, i) => i % 2 === side);
  return { level: mine[0]!.level, rps: mine.flatMap((s) => s.rps), cpuPerK: mine.flatMap((s) => s.cpuPerK), logMb: mine.reduce((t, s) => t + statSync(s.logFile).size / 1e6, 0) };
});
for (const s of shops) console.log(`LOG_LEVEL=${s.level} (shop ${shops.indexOf(s) + 1}): median ${Math.round(median(s.rps))} req/s, ${median(s.cpuPerK).toFixed(1)} ms CPU per 1,000 requests`);
for (const s of sides) console.log(`LOG_LEVEL=${s.level}, all its shops: median ${Math.round(median(s.rps))} req/s, ${median(s.cpuPerK).toFixed(1)} ms CPU per 1,000 requests (log files ${s.logMb.toFixed(1)} MB)`);
const [a, b] = sides as [(typeof sides)[0], (typeof sides)[0]];
console.log(`LOG_LEVEL=${a.level} costs ${((1 - median(a.rps) / median(b.rps)) * 100).toFixed(1)}% of read throughput and ${((median(a.cpuPerK) / median(b.cpuPerK) - 1) * 100).toFixed(1)}% more CPU per request than LOG_LEVEL=${b.level}`);
rmSync(scratch, { recursive: true, force: true });
process.exit(0);
