// bench/split-cpu.ts --rate, bounded: the paced customers start checkouts at the asked rate at most
// (a shop may fall behind on a busy machine, never run ahead), every one paid, and the CPU per
// checkout is reported, so the equal-load comparison cannot rot.
import { expect, test } from "bun:test";
import { join } from "node:path";

const script = join(import.meta.dir, "..", "..", "bench", "split-cpu.ts");

test("all-in-one paced to 40 checkouts/s after a 2 s warm-up: no faster than asked, no errors, CPU per checkout reported", async () => {
  const args = ["--mode", "all", "--engine", "sqlite", "--rate", "40", "--seconds", "4", "--connections", "8", "--warmup", "2", "--no-save"];
  const proc = Bun.spawn(["bun", script, ...args], { stdout: "pipe", stderr: "pipe" });
  const killer = setTimeout(() => proc.kill(), 150_000);
  const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  clearTimeout(killer);
  expect(code, err).toBe(0);
  expect(out).toContain("paced to 40 checkouts/s");
  expect(out).not.toContain("written:");
  // | all-in-one | orders/s | errors | ours | processes | Kafka | PostgreSQL | **all** | less idle | warm-up, s |
  const row = out.split("\n").find((l) => l.startsWith("| all-in-one |"))!.split("|").map((c) => c.trim());
  const [ordersPerSecond, errors, cpuMs] = [Number(row[2]), Number(row[3]), Number(row[4])];
  expect(errors).toBe(0);
  expect(ordersPerSecond).toBeGreaterThan(0);
  expect(ordersPerSecond).toBeLessThanOrEqual(44); // the pacing's bound (+10% for the window's edges)
  expect(cpuMs).toBeGreaterThan(0);
  expect(Number(row[10])).toBe(2); // --warmup 2: one unmeasured round of that length before the window
}, 180_000);
