// The all-in-one checkout workload alone, N times in a row, each on a fresh shop: a quicker loop
// than `bun run bench` when measuring one change to the checkout path.
//   bun bench/micro/checkout-only.ts [--runs N] [--seconds N] [--connections N]   (loopback, wrk, bounded)
import { parseArgs } from "../lib/args";
import { prepareShop } from "../lib/prepare";
import { startShop } from "../lib/shops";
import { checkoutWorkload } from "../lib/workloads";

const argv = process.argv.slice(2);
const runsAt = argv.indexOf("--runs");
const runs = runsAt >= 0 ? Math.min(10, Math.max(1, Number(argv.splice(runsAt, 2)[1]) || 1)) : 3;
const args = parseArgs(argv);
const rates: number[] = [];
for (let run = 1; run <= runs; run++) {
  const shop = await startShop("all");
  try {
    const runId = Date.now().toString(36);
    const prepared = await prepareShop(shop.url, { customers: args.connections, runId });
    const r = await checkoutWorkload(shop.url, prepared.customerLines, shop.serverPids, args, runId);
    rates.push(r.ordersPerSecond);
    console.log(
      `run ${run}: ${r.ordersPerSecond.toFixed(0)} checkouts/s, POST /api/orders p99 ${r.orderMs?.p99.toFixed(1)} ms, errors ${r.errors}, server CPU ${r.cpu.serverPct.toFixed(0)}%, RSS ${r.peakRssMb.toFixed(0)} MB`,
    );
  } finally {
    await shop.stop();
  }
}
rates.sort((a, b) => a - b);
console.log(`median ${rates[Math.floor(rates.length / 2)]!.toFixed(0)} checkouts/s over ${runs} run(s)`);
