// Server memory from /proc: VmRSS sampled during a workload (its own peak), and VmHWM (the
// kernel's peak since the process started) for the whole run.
import { readFileSync } from "node:fs";

function statusKb(pid: number, field: "VmRSS" | "VmHWM"): number {
  try {
    const m = readFileSync(`/proc/${pid}/status`, "utf8").match(new RegExp(`^${field}:\\s+(\\d+) kB`, "m"));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0; // process gone
  }
}

const mb = (kb: number) => kb / 1024;

/** Peak of the summed RSS of `pids`, sampled every 50 ms until stop() is called. */
export function sampleRss(pids: number[]): { stop(): number } {
  let peakKb = 0;
  const take = () => {
    const sum = pids.reduce((s, pid) => s + statusKb(pid, "VmRSS"), 0);
    if (sum > peakKb) peakKb = sum;
  };
  take();
  const timer = setInterval(take, 50);
  return {
    stop() {
      clearInterval(timer);
      take();
      return mb(peakKb);
    },
  };
}

/** Sum of each process's own peak since it started, in MB. */
export const peakSinceStartMb = (pids: number[]) => mb(pids.reduce((s, pid) => s + statusKb(pid, "VmHWM"), 0));
