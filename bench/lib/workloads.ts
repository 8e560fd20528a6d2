// The measured workloads: a short unmeasured warm-up (JIT, page cache), then a window bounded by
// time and count, with the server's RSS sampled during it.
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "../../test/support/processes";
import type { BenchArgs } from "./args";
import { measureCpu, type CpuUse } from "./cpu";
import { sampleRss } from "./rss";
import { runWrk, type Percentiles, type WrkResult } from "./wrk";

export interface ReadWorkload {
  rps: number;
  requests: number;
  errors: number;
  badSample: string;
  latencyMs: Percentiles;
  peakRssMb: number;
  cpu: CpuUse;
}

export interface CheckoutWorkload extends ReadWorkload {
  ordersPerSecond: number;
  paid: number;
  /** POST /api/orders alone. */
  orderMs: Percentiles;
  /** add + add + order, as one customer sees it. */
  checkoutMs: Percentiles;
}

const scratch = tempDir("bench-wrk-");
process.on("exit", () => rmSync(scratch, { recursive: true, force: true }));
const fileOf = (name: string, lines: string[]) => {
  const path = join(scratch, name);
  writeFileSync(path, `${lines.join("\n")}\n`);
  return path;
};

/** Flushes dirty pages first, so a window does not pay for the writeback of the one before. */
export const flushDisks = () => void Bun.spawnSync(["sync"]);

async function measured(args: BenchArgs, pids: number[], run: (seconds: number, maxRequests: number) => Promise<WrkResult>) {
  flushDisks();
  if (args.warmupSeconds > 0) await run(args.warmupSeconds, args.requests);
  const rss = sampleRss(pids);
  const cpu = measureCpu(pids);
  const result = await run(args.seconds, args.requests);
  return { result, cpu: cpu.stop(), peakRssMb: rss.stop() };
}

export async function readWorkload(url: string, paths: string[], pids: number[], args: BenchArgs): Promise<ReadWorkload> {
  const pathsFile = fileOf(`paths-${paths.length}-${Bun.hash(paths.join()).toString(36)}.txt`, paths);
  const { result, peakRssMb, cpu } = await measured(args, pids, (seconds, maxRequests) =>
    runWrk({ url, script: "read.lua", threads: args.readThreads, connections: args.connections, seconds, maxRequests, env: { BENCH_PATHS: pathsFile } }),
  );
  return { rps: result.rps, requests: result.requests, errors: result.errors, badSample: result.badSample, latencyMs: result.latencyMs, peakRssMb, cpu };
}

/** One wrk thread per connection, so each thread's Lua state is one customer's checkout sequence. */
/** `ratePerSecond`: checkouts started per second over all customers (paced); 0 or none: as fast as they go. */
export async function checkoutWorkload(url: string, customerLines: string[], pids: number[], args: BenchArgs, runId: string, ratePerSecond = 0): Promise<CheckoutWorkload> {
  const customers = fileOf(`customers-${runId}.txt`, customerLines);
  let round = 0;
  const { result, peakRssMb, cpu } = await measured(args, pids, (seconds, maxRequests) =>
    runWrk({
      url,
      script: "checkout.lua",
      threads: args.connections,
      connections: args.connections,
      seconds,
      maxRequests,
      // Fresh Idempotency-Keys every round: a replayed key would answer from the first order.
      env: {
        BENCH_CUSTOMERS: customers,
        BENCH_RUN_ID: `${runId}r${round++}`,
        ...(ratePerSecond > 0 ? { BENCH_CHECKOUT_INTERVAL_US: String(Math.round((args.connections * 1e6) / ratePerSecond)) } : {}),
      },
    }),
  );
  const paid = result.paid ?? 0;
  return {
    rps: result.rps,
    requests: result.requests,
    errors: result.errors,
    badSample: result.badSample,
    latencyMs: result.latencyMs,
    peakRssMb,
    cpu,
    paid,
    ordersPerSecond: paid / result.seconds,
    orderMs: result.series.order_us!,
    checkoutMs: result.series.checkout_us!,
  };
}
