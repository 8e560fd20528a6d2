// A PostgreSQL server's own resource use, from /proc: the CPU time of the postmaster and all its
// processes (backends, WAL writer, checkpointer...; those that exited during the window are in
// the postmaster's reaped-children time), and their memory as PSS, which counts the shared
// buffers once instead of in every backend that touched them (their RSS sum double counts).
import { readFileSync } from "node:fs";
import { childrenOf } from "../../scripts/postgres/process-identity";

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

function stat(pid: number): string[] | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    return text.slice(text.lastIndexOf(")") + 2).split(" ");
  } catch {
    return undefined;
  }
}

/** utime + stime of each live process of the server, and the postmaster's reaped children's. */
function ticks(postmaster: number): { byPid: Map<number, number>; reaped: number } {
  const byPid = new Map<number, number>();
  for (const pid of [postmaster, ...childrenOf(postmaster)]) {
    const f = stat(pid);
    if (f) byPid.set(pid, Number(f[11]) + Number(f[12]));
  }
  const f = stat(postmaster);
  return { byPid, reaped: f ? Number(f[13]) + Number(f[14]) : 0 };
}

function memoryKb(pid: number): { pss: number; rss: number } {
  try {
    const text = readFileSync(`/proc/${pid}/smaps_rollup`, "utf8");
    const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(text)?.[1] ?? 0);
    return { pss: field("Pss"), rss: field("Rss") };
  } catch {
    return { pss: 0, rss: 0 };
  }
}

export interface ServerUse {
  /** % of one core, all the server's processes together. */
  cpuPct: number;
  /** Peak of the summed PSS during the window, MB. */
  pssMb: number;
  /** Peak of the summed RSS (shared memory counted in each process), MB. */
  rssMb: number;
  processes: number;
}

/**
 * The server's CPU alone, without the memory sampling (which would add its own reads to a caller
 * measuring its own CPU): stop() returns the CPU seconds of all its processes over the window.
 */
export function measurePostgresCpu(postmaster: number): { stop(): number } {
  const before = ticks(postmaster);
  return {
    stop() {
      const after = ticks(postmaster);
      let used = after.reaped - before.reaped;
      for (const [pid, t] of after.byPid) used += t - (before.byPid.get(pid) ?? 0);
      for (const [pid, t] of before.byPid) if (!after.byPid.has(pid)) used -= t; // reaped: its whole life is in `reaped`
      return used / TICKS_PER_SECOND;
    },
  };
}

/** Starts measuring the server whose postmaster is `postmaster`; stop() returns its use over the window. */
export function measurePostgres(postmaster: number): { stop(): ServerUse } {
  const started = performance.now();
  const cpu = measurePostgresCpu(postmaster);
  let peak = { pss: 0, rss: 0 };
  let processes = 0;
  const sample = () => {
    const pids = [postmaster, ...childrenOf(postmaster)];
    processes = Math.max(processes, pids.length);
    const sum = pids.map(memoryKb).reduce((a, b) => ({ pss: a.pss + b.pss, rss: a.rss + b.rss }), { pss: 0, rss: 0 });
    if (sum.pss > peak.pss) peak = sum;
  };
  sample();
  const timer = setInterval(sample, 100);
  return {
    stop() {
      clearInterval(timer);
      sample();
      const seconds = (performance.now() - started) / 1000;
      return { cpuPct: (cpu.stop() / seconds) * 100, pssMb: peak.pss / 1024, rssMb: peak.rss / 1024, processes };
    },
  };
}
