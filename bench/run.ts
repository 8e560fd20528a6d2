// `bun run bench`: measures the shop against ceilings measured in the same run on the same
// machine, prints a table, and writes bench/results/<date>-<mode>.md and bench/results/latest.md.
// Loopback only; every workload is bounded by time and by count. See bench/README.md.
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { parseArgs } from "./lib/args";
import { measureCheckoutCeiling, measureReadCeilings, type ReadCeilings } from "./lib/ceilings";
import { describeMachine } from "./lib/machine";
import { prepareShop, type Prepared } from "./lib/prepare";
import { markdown, tableText, type BenchRun, type ModeResult } from "./lib/report";
import { peakSinceStartMb } from "./lib/rss";
import { startShop, type Mode } from "./lib/shops";
import { ensureWrk } from "./lib/wrk";
import { checkoutWorkload, readWorkload } from "./lib/workloads";

const args = parseArgs(process.argv.slice(2));
// Every data folder (shop, Kafka, ceilings) is made under the temp folder, children included.
if (args.dataRoot) process.env.TMPDIR = args.dataRoot;
ensureWrk();
const runId = Date.now().toString(36);
const startedAt = new Date().toISOString();
const log = (msg: string) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}`);

let readCeilings: ReadCeilings | undefined;
const modes: ModeResult[] = [];

for (const mode of args.modes) {
  log(`starting the shop (${mode})`);
  const shop = await startShop(mode as Mode);
  try {
    log(`preparing: products and ${args.connections} customers (argon2id, before any window)`);
    const prepared: Prepared = await prepareShop(shop.url, { customers: args.connections, runId: `${runId}${mode[0]}` });
    // Ceilings once, from the first shop's rows; the shop idles meanwhile (timers only).
    readCeilings ??= await measureReadCeilings(prepared, async (url, pids) => {
      log("ceiling: bare Elysia + SQLite, by id");
      const byId = await readWorkload(url, prepared.productPaths, pids, args);
      log("ceiling: bare Elysia + SQLite, search");
      const search = await readWorkload(url, [prepared.searchPath], pids, args);
      return { byId, search };
    });
    log(`${mode}: GET /api/products/:id`);
    const byId = await readWorkload(shop.url, prepared.productPaths, shop.serverPids, args);
    log(`${mode}: search`);
    const search = await readWorkload(shop.url, [prepared.searchPath], shop.serverPids, args);
    log(`${mode}: checkout`);
    const checkout = await checkoutWorkload(shop.url, prepared.customerLines, shop.serverPids, args, `${runId}${mode[0]}`);
    modes.push({
      mode: mode as Mode,
      processes: shop.serverPids.length,
      byId,
      search,
      checkout,
      peakRssMb: peakSinceStartMb(shop.serverPids),
      brokerRssMb: shop.brokerPid ? peakSinceStartMb([shop.brokerPid]) : undefined,
    });
  } finally {
    log(`stopping the shop (${mode})`);
    await shop.stop();
  }
}

log("ceiling: checkout writes as bare SQLite transactions");
const checkoutCeiling = await measureCheckoutCeiling(Math.min(args.seconds, 10));

const run: BenchRun = { startedAt, machine: describeMachine(), args, readCeilings: readCeilings!, checkoutCeiling, modes };
console.log(`\n${tableText(run)}\n`);

const dir = join(import.meta.dir, "results");
mkdirSync(dir, { recursive: true });
const label = (args.modes.length === 2 ? "both" : args.modes[0]!) + (args.dataRoot ? `-data-${basename(args.dataRoot)}` : "");
const file = join(dir, `${startedAt.slice(0, 10)}-${label}.md`);
writeFileSync(file, markdown(run));
copyFileSync(file, join(dir, "latest.md"));
console.log(`results: ${file} (and bench/results/latest.md)`);
process.exit(0);
