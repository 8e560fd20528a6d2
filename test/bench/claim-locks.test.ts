// bench/micro/claim-locks.ts, bounded, against the test server: its claim pairs run through the real
// SessionLocks (and leave no advisory lock held: the script checks and fails otherwise), and its few
// whole checkouts through the all-in-one shop on PostgreSQL, so the script cannot rot when either changes.
import { beforeAll, expect, test } from "bun:test";
import { join } from "node:path";
import type { PostgresServer } from "../../scripts/postgres/server";
import { freshDatabase, POSTGRES_START_TIMEOUT_MS, testPostgres } from "../support/postgres";

const script = join(import.meta.dir, "..", "..", "bench", "micro", "claim-locks.ts");

let server: PostgresServer;
beforeAll(async () => {
  server = await testPostgres();
}, POSTGRES_START_TIMEOUT_MS);

test("claim pairs at 1 and 4 claimers, and 5 whole checkouts: counts, latencies and CPU per pair", async () => {
  const url = await freshDatabase("claim-locks");
  const args = ["--url", url, "--postmaster", String(server.pid), "--pairs", "200", "--seconds", "20", "--claimers", "1,4", "--checkouts", "5", "--json"];
  const proc = Bun.spawn(["bun", script, ...args], { stdout: "pipe", stderr: "pipe" });
  const killer = setTimeout(() => proc.kill(), 90_000);
  const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  clearTimeout(killer);
  expect(err).toBe("");
  expect(code).toBe(0);
  const { rows, checkouts } = JSON.parse(out);
  expect(rows.map((r: { claimers: number; pairs: number }) => [r.claimers, r.pairs])).toEqual([[1, 200], [4, 200]]);
  for (const r of rows) {
    expect(r.p50Ms).toBeGreaterThan(0);
    expect(r.p99Ms).toBeGreaterThanOrEqual(r.p50Ms);
    expect(r.selfCpuMsPerPair).toBeGreaterThan(0);
    expect(r.serverCpuMsPerPair).toBeGreaterThanOrEqual(0); // /proc counts in 10 ms ticks: 200 pairs may show none
  }
  expect(checkouts.checkouts).toBe(5);
  expect(checkouts.p50Ms).toBeGreaterThan(0);
  expect(checkouts.cpuMsPerCheckout).toBeGreaterThan(0);
}, POSTGRES_START_TIMEOUT_MS + 120_000);
