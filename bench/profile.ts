// Where the server's time goes under one workload: runs the all-in-one shop under Bun's CPU
// profiler, drives one bench workload at it, stops it gracefully (the profile is written on exit).
//   bun bench/profile.ts [checkout|read|search] [--seconds N] [--connections N]
// Prints the folder holding the .cpuprofile (Chrome DevTools / speedscope) and the .md summary.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "./lib/args";
import { prepareShop } from "./lib/prepare";
import { startInstrumentedShop } from "./lib/shops";
import { summarize } from "./lib/profile-summary";
import { checkoutWorkload, readWorkload } from "./lib/workloads";
import { tempDir } from "../test/support/processes";

const [workload = "checkout", ...rest] = process.argv.slice(2);
if (!["checkout", "read", "search"].includes(workload)) throw new Error(`workload must be checkout, read or search, got ${workload}`);
const args = { ...parseArgs(rest), warmupSeconds: 0 };
const profDir = tempDir("bench-prof-");
const shop = await startInstrumentedShop(["--cpu-prof", "--cpu-prof-md", `--cpu-prof-dir=${profDir}`, "--cpu-prof-interval=250"]);
const { url, proc } = shop;
try {
  const runId = Date.now().toString(36);
  const prepared = await prepareShop(url, { customers: args.connections, runId });
  const result =
    workload === "checkout"
      ? await checkoutWorkload(url, prepared.customerLines, [proc.pid], args, runId)
      : await readWorkload(url, workload === "read" ? prepared.productPaths : [prepared.searchPath], [proc.pid], args);
  console.log(JSON.stringify(result, null, 2));
} finally {
  await shop.stop(); // the profile is written on exit
}
const files = readdirSync(profDir);
console.log(`\nprofile (${workload}): ${profDir}\n  ${files.join("\n  ")}\n`);
const cpuprofile = files.find((f) => f.endsWith(".cpuprofile"));
if (cpuprofile) console.log(summarize(join(profDir, cpuprofile)));
