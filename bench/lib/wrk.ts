// Runs wrk (Debian's, in C: the cheapest generator to share 2 cores with the server) with one of
// the Lua scripts in bench/lua, bounded by time and by count, and parses the JSON line it prints.
import { join } from "node:path";

const LUA_DIR = join(import.meta.dir, "..", "lua");

export interface Percentiles {
  count?: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export interface WrkResult {
  requests: number;
  /** First request sent to last response received, across threads (wrk's own clock also counts idle tail). */
  seconds: number;
  rps: number;
  /** Responses with an unexpected status plus socket errors and timeouts. */
  errors: number;
  badSample: string;
  latencyMs: Percentiles;
  /** Per-series latencies the script kept (checkout: order_us, checkout_us), in ms. */
  series: Record<string, Percentiles>;
  paid?: number;
}

/** wrk from Debian; installed on the spot when missing and we are root, like the project's other scripts. */
export function ensureWrk(): string {
  const found = Bun.which("wrk");
  if (found) return found;
  if (process.getuid?.() !== 0) throw new Error("wrk is missing: run `sudo apt-get install -y wrk`");
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  for (const args of [["update", "-qq"], ["install", "-y", "-qq", "--no-install-recommends", "wrk"]]) {
    const r = Bun.spawnSync(["apt-get", ...args], { env, stdout: "inherit", stderr: "inherit" });
    if (r.exitCode !== 0) throw new Error(`apt-get ${args.join(" ")} failed (${r.exitCode})`);
  }
  return Bun.which("wrk") ?? (() => { throw new Error("wrk still missing after apt-get install"); })();
}

export interface WrkOptions {
  url: string;
  script: "read.lua" | "checkout.lua";
  threads: number;
  connections: number;
  seconds: number;
  /** Total request bound, split evenly over threads. */
  maxRequests: number;
  env: Record<string, string>;
}

export async function runWrk(o: WrkOptions): Promise<WrkResult> {
  const wrk = ensureWrk();
  const perThread = Math.max(1, Math.ceil(o.maxRequests / o.threads));
  const proc = Bun.spawn(
    [wrk, "-t", String(o.threads), "-c", String(o.connections), "-d", `${o.seconds}s`, "--timeout", "10s", "-s", join(LUA_DIR, o.script), o.url],
    { env: { ...process.env, BENCH_LUA_DIR: LUA_DIR, BENCH_MAX_PER_THREAD: String(perThread), ...o.env }, stdout: "pipe", stderr: "pipe" },
  );
  // wrk sleeps out its whole -d even when every thread hit its count: interrupt it then (SIGINT = report now).
  let doneThreads = 0;
  let stderr = "";
  const watchStderr = (async () => {
    const decoder = new TextDecoder();
    const reader = (proc.stderr as ReadableStream<Uint8Array>).getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const text = decoder.decode(value);
      stderr += text;
      doneThreads += text.split("bench-thread-done").length - 1;
      if (doneThreads >= o.threads) proc.kill("SIGINT");
    }
  })();
  const hardStop = setTimeout(() => proc.kill("SIGKILL"), (o.seconds + 30) * 1000);
  const [stdout] = await Promise.all([new Response(proc.stdout).text(), proc.exited, watchStderr]);
  clearTimeout(hardStop);
  const line = stdout.split("\n").find((l) => l.startsWith("BENCH_JSON "));
  if (!line) throw new Error(`wrk printed no result (exit ${proc.exitCode}):\n${stdout}\n${stderr.replaceAll("bench-thread-done\n", "")}`);
  const raw = JSON.parse(line.slice("BENCH_JSON ".length));
  const paidLine = stdout.split("\n").find((l) => l.startsWith("BENCH_PAID "));
  const seconds = (raw.active_us || raw.wrk_duration_us) / 1e6;
  const ms = (p: Percentiles): Percentiles => ({ count: p.count, p50: p.p50 / 1000, p90: p.p90 / 1000, p99: p.p99 / 1000, max: p.max / 1000 });
  const series: Record<string, Percentiles> = {};
  for (const name of ["order_us", "checkout_us"]) if (raw[name]) series[name] = ms(raw[name]);
  const e = raw.errors;
  return {
    requests: raw.requests,
    seconds,
    rps: raw.requests / seconds,
    // Unexpected statuses are counted by the script (a 4xx/5xx also lands in e.status: count it once).
    errors: raw.bad_status + e.connect + e.read + e.write + e.timeout,
    badSample: raw.bad_sample,
    latencyMs: ms(raw.latency_us),
    series,
    paid: paidLine ? Number(paidLine.split(" ")[1]) : undefined,
  };
}
