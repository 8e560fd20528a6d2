// bench/micro/http-hop.ts, bounded: its three servers (bare Bun, the shop's HTTP shell, the gateway's
// proxy in front of the shell) answer its calls, and it reports the CPU per call of each process, so
// the script cannot rot when the shell or the proxy changes.
import { expect, test } from "bun:test";
import { join } from "node:path";
import type { Row as HopRow } from "../../bench/micro/http-hop";

const script = join(import.meta.dir, "..", "..", "bench", "micro", "http-hop.ts");

/** Runs the script with `--json` and these flags; it must end cleanly with nothing on stderr. */
async function hopRows(flags: string[]): Promise<HopRow[]> {
  const proc = Bun.spawn(["bun", script, ...flags, "--json"], { stdout: "pipe", stderr: "pipe" });
  const killer = setTimeout(() => proc.kill(), 90_000);
  const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  clearTimeout(killer);
  expect(err).toBe("");
  expect(code).toBe(0);
  return JSON.parse(out).rows;
}

test("300 calls to each server: calls/s, latencies and the CPU of each process per call", async () => {
  const rows = await hopRows(["--calls", "300", "--seconds", "20", "--concurrency", "4"]);
  expect(rows.map((r) => [r.kind, r.calls])).toEqual([["bare", 300], ["shell", 300], ["gateway", 300]]);
  for (const r of rows) {
    expect(r.callsPerSecond).toBeGreaterThan(0);
    expect(r.p99Ms).toBeGreaterThanOrEqual(r.p50Ms);
    expect(r.clientCpuUsPerCall).toBeGreaterThan(0);
    expect(r.serverCpuUsPerCall).toBeGreaterThanOrEqual(0); // /proc counts in 10 ms ticks: 300 calls may show none
    expect(r.upstreamCpuUsPerCall === undefined).toBe(r.kind !== "gateway"); // the shell server behind the gateway
  }
}, 120_000);

test("--rate paces the calls: 60 calls at 200 a second, one in flight, never run faster than the rate", async () => {
  const rows = await hopRows(["--calls", "60", "--seconds", "20", "--concurrency", "1", "--rate", "200"]);
  for (const r of rows) {
    expect(r.calls).toBe(60);
    // Unpaced, one call at a time runs at thousands a second here; paced, never above the rate (a busy machine may run slower).
    expect(r.callsPerSecond).toBeGreaterThan(0);
    expect(r.callsPerSecond).toBeLessThanOrEqual(200 * 1.05);
  }
}, 120_000);
