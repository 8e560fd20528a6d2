// `bun run bench`: measures the shop against ceilings measured in the same run on the same
// machine, prints a table, and writes bench/results/<date>-<mode>.md and bench/results/latest.md.
// Loopback only; every workload is bounded by time and by count. See bench/README.md.
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { SQL } from "bun";
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
import { prepare as preparePostgresCeiling, run as runPostgresCeiling } from "./ceiling/postgres-checkout";
import { startBenchPostgres, type BenchPostgres } from "./lib/postgres-for-bench";
import { measurePostgres, type ServerUse } from "./lib/postgres-usage";

const args = parseArgs(process.argv.slice(2));
// Every data folder (shop, Kafka, ceilings) is made under the temp folder, children included.
if (args.dataRoot) process.env.TMPDIR = args.dataRoot;
ensureWrk();
const runId = Date.now().toString(36);
const startedAt = new Date().toISOString();
const log = (msg: string) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}`);

let readCeilings: ReadCeilings | undefined;
const modes: ModeResult[] = [];

const postgres: BenchPostgres | undefined = args.engines.includes("postgres") ? await startBenchPostgres(args.postgresSync) : undefined;
if (postgres) log(`PostgreSQL ${postgres.server.version} on 127.0.0.1:${postgres.server.port} (fsync on, synchronous_commit ${args.postgresSync})`);
/** The PostgreSQL server's own CPU and memory during `work`, when the shop runs on it. */
async function withServerUse<T>(on: boolean, work: () => Promise<T>): Promise<[T, ServerUse | undefined]> {
  const meter = on && postgres ? measurePostgres(postgres.server.pid) : undefined;
  const result = await work();
  return [result, meter?.stop()];
}

for (const engine of args.engines)
for (const mode of args.modes) {
  const tag = `${mode} on ${engine}`;
  log(`starting the shop (${tag})`);
  const onPostgres = engine === "postgres";
  const shop = await startShop(mode as Mode, onPostgres ? await postgres!.database(`bench_${mode}_${runId}`) : undefined);
  try {
    log(`preparing: products and ${args.connections} customers (argon2id, before any window)`);
    const prepared: Prepared = await prepareShop(shop.url, { customers: args.connections, runId: `${runId}${mode[0]}${engine[0]}` });
    // Ceilings once, from the first shop's rows; the shop idles meanwhile (timers only).
    readCeilings ??= await measureReadCeilings(prepared, async (url, pids) => {
      log("ceiling: bare Elysia + SQLite, by id");
      const byId = await readWorkload(url, prepared.productPaths, pids, args);
      log("ceiling: bare Elysia + SQLite, search");
      const search = await readWorkload(url, [prepared.searchPath], pids, args);
      return { byId, search };
    });
    log(`${tag}: GET /api/products/:id`);
    const [byId, byIdServer] = await withServerUse(onPostgres, () => readWorkload(shop.url, prepared.productPaths, shop.serverPids, args));
    log(`${tag}: search`);
    const [search, searchServer] = await withServerUse(onPostgres, () => readWorkload(shop.url, [prepared.searchPath], shop.serverPids, args));
    log(`${tag}: checkout`);
    const [checkout, checkoutServer] = await withServerUse(onPostgres, () => checkoutWorkload(shop.url, prepared.customerLines, shop.serverPids, args, `${runId}${mode[0]}${engine[0]}`));
    modes.push({
      mode: mode as Mode,
      engine,
      ...(onPostgres ? { postgres: { byId: byIdServer!, search: searchServer!, checkout: checkoutServer! } } : {}),
      processes: shop.serverPids.length,
      byId,
      search,
      checkout,
      peakRssMb: peakSinceStartMb(shop.serverPids),
      brokerRssMb: shop.brokerPid ? peakSinceStartMb([shop.brokerPid]) : undefined,
    });
  } finally {
    log(`stopping the shop (${tag})`);
    await shop.stop();
  }
}

log("ceiling: checkout writes as bare SQLite transactions");
const checkoutCeiling = await measureCheckoutCeiling(Math.min(args.seconds, 10));
if (postgres) {
  log("ceiling: checkout writes as one PostgreSQL transaction each (bench/ceiling/postgres-checkout.ts)");
  const url = await postgres.database(`bench_ceiling_${runId}`);
  const setup = new SQL({ url, max: 1 });
  const productIds = await preparePostgresCeiling(setup, 16);
  await setup.close();
  const seconds = Math.min(args.seconds, 10);
  const ceiling = await runPostgresCeiling(
    url,
    productIds,
    { statements: "per-step", send: "pipelined", batch: 1, savepoints: false, synchronousCommit: args.postgresSync, clients: args.connections, connections: 16, products: 16, seconds, maxCheckouts: 1_000_000, warmupCheckouts: 500 },
    postgres.server.pid,
  );
  checkoutCeiling.postgresOneTx = ceiling.perSecond;
  checkoutCeiling.postgresServer = ceiling.server;
  await postgres.stop();
}

const run: BenchRun = { startedAt, machine: describeMachine(), args, readCeilings: readCeilings!, checkoutCeiling, modes };
console.log(`\n${tableText(run)}\n`);

const dir = join(import.meta.dir, "results");
mkdirSync(dir, { recursive: true });
const label = (args.modes.length === 2 ? "both" : args.modes[0]!) + (args.engines.length === 1 ? `-${args.engines[0]}` : "") + (args.postgresSync === "off" ? "-sync-off" : "") + (args.dataRoot ? `-data-${basename(args.dataRoot)}` : "");
const file = join(dir, `${startedAt.slice(0, 10)}-${label}.md`);
writeFileSync(file, markdown(run));
copyFileSync(file, join(dir, "latest.md"));
console.log(`results: ${file} (and bench/results/latest.md)`);
process.exit(0);
