// What a body of deeply nested JSON costs the shop: `[[[[...]]]]` of 40,000, 60,000 and 65,536 bytes
// (the last is MAX_BODY_BYTES) posted to POST /api/auth/token, which needs no sign-in. Each size
// runs against a fresh all-in-one process; meanwhile GET /health/live is polled every 50 ms and its
// slowest answer is reported, with the server's peak RSS (VmHWM).
//   bun bench/micro/deep-json.ts [--timeout-seconds N]   (loopback, bounded: N seconds per request, default 60)
import { readFileSync } from "node:fs";
import { startEntrypoint } from "../../test/support/processes";

const timeoutArg = process.argv.indexOf("--timeout-seconds");
const timeoutMs = (timeoutArg > 0 ? Number(process.argv[timeoutArg + 1]) : 60) * 1000;
const SIZES = [40_000, 60_000, 65_536];

const peakRssMb = (pid: number) => {
  try {
    return Number(readFileSync(`/proc/${pid}/status`, "utf8").match(/^VmHWM:\s+(\d+) kB/m)?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
};

for (const bytes of SIZES) {
  const server = await startEntrypoint("all.ts", { SEED_CATALOG: "false" }, { readyTimeoutMs: 30_000 });
  const depth = bytes / 2;
  const body = "[".repeat(depth) + "]".repeat(depth);
  let slowestHealthMs = 0;
  let polling = true;
  const poller = (async () => {
    while (polling) {
      const started = performance.now();
      try {
        await fetch(`${server.url}/health/live`, { signal: AbortSignal.timeout(timeoutMs) });
      } catch {
        /* counted by its time */
      }
      slowestHealthMs = Math.max(slowestHealthMs, performance.now() - started);
      await Bun.sleep(50);
    }
  })();
  const started = performance.now();
  let outcome: string;
  try {
    const res = await fetch(`${server.url}/api/auth/token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    outcome = `${res.status} ${text.slice(0, 90)}`;
  } catch (error) {
    outcome = `no answer: ${(error as Error).message}`;
  }
  const ms = performance.now() - started;
  polling = false;
  await poller;
  const rss = peakRssMb(server.proc.pid);
  const alive = server.proc.exitCode === null;
  console.log(
    `${String(bytes).padStart(6)} B depth ${String(depth).padStart(5)}: ${ms.toFixed(1).padStart(8)} ms, slowest /health/live ${slowestHealthMs.toFixed(1)} ms, ` +
      `peak RSS ${rss.toFixed(0)} MB, process ${alive ? "alive" : `exited (${server.proc.exitCode})`}: ${outcome}`,
  );
  await server.kill();
}
