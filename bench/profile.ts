// Where the server's time goes under one workload: runs the all-in-one shop under Bun's CPU
// profiler, drives one bench workload at it, stops it gracefully (the profile is written on exit).
//   bun bench/profile.ts [checkout|read|search] [--seconds N] [--connections N]
// Prints the folder holding the .cpuprofile (Chrome DevTools / speedscope) and the .md summary.
import { readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "./lib/args";
import { prepareShop } from "./lib/prepare";
import { summarize } from "./lib/profile-summary";
import { checkoutWorkload, readWorkload } from "./lib/workloads";
import { freePort, repoRoot, tempDir, waitForOk } from "../test/support/processes";

const [workload = "checkout", ...rest] = process.argv.slice(2);
if (!["checkout", "read", "search"].includes(workload)) throw new Error(`workload must be checkout, read or search, got ${workload}`);
const args = { ...parseArgs(rest), warmupSeconds: 0 };
const profDir = tempDir("bench-prof-");
const port = freePort();
const dataDir = tempDir("bench-prof-data-");
const shop = Bun.spawn(
  ["bun", "--cpu-prof", "--cpu-prof-md", `--cpu-prof-dir=${profDir}`, "--cpu-prof-interval=250", join(repoRoot, "src", "entrypoints", "all.ts")],
  {
    cwd: repoRoot,
    env: { ...process.env, NODE_ENV: "test", LOG_LEVEL: "warn", HOST: "127.0.0.1", PORT: String(port), DATA_DIR: dataDir, SEED_CATALOG: "true" },
    stdout: "inherit",
    stderr: "inherit",
  },
);
const url = `http://127.0.0.1:${port}`;
try {
  await waitForOk(`${url}/health/ready`, 60_000, shop);
  const runId = Date.now().toString(36);
  const prepared = await prepareShop(url, { customers: args.connections, runId });
  const result =
    workload === "checkout"
      ? await checkoutWorkload(url, prepared.customerLines, [shop.pid], args, runId)
      : await readWorkload(url, workload === "read" ? prepared.productPaths : [prepared.searchPath], [shop.pid], args);
  console.log(JSON.stringify(result, null, 2));
} finally {
  shop.kill("SIGTERM");
  await shop.exited;
  rmSync(dataDir, { recursive: true, force: true });
}
const files = readdirSync(profDir);
console.log(`\nprofile (${workload}): ${profDir}\n  ${files.join("\n  ")}\n`);
const cpuprofile = files.find((f) => f.endsWith(".cpuprofile"));
if (cpuprofile) console.log(summarize(join(profDir, cpuprofile)));
