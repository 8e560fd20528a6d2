// CPU use during a window, from /proc: the server processes' own share (user + system, so 100%
// is one core busy) and the whole machine's busy share (the load generator included), to tell
// a saturated server from one that waits.
import { readdirSync, readFileSync } from "node:fs";

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** A process's own CPU so far (user + system), in seconds; 0 once it is gone. */
export const processCpuSeconds = (pid: number) => processTicks(pid) / TICKS_PER_SECOND;

function processTicks(pid: number): number {
  try {
    return statTicks(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return 0;
  }
}

/** User + system ticks of a process's or thread's `stat` line. */
function statTicks(stat: string): number {
  // Fields after the ")" that ends the command name: utime and stime are the 12th and 13th.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return Number(fields[11]) + Number(fields[12]);
}

function machineTicks(): { busy: number; steal: number; total: number } {
  const cpu = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
  const idle = cpu[3]! + (cpu[4] ?? 0); // idle + iowait
  const steal = cpu[7] ?? 0; // time the hypervisor gave our vCPUs to someone else
  const total = cpu.slice(0, 8).reduce((a, b) => a + b, 0); // without guest columns (already in user)
  return { busy: total - idle - steal, steal, total };
}

export interface CpuUse {
  /** Server processes, % of one core. */
  serverPct: number;
  /** Whole machine, % of all cores. */
  machinePct: number;
  /** Taken by the hypervisor for other guests, % of all cores: a noisy neighbour, not us. */
  stealPct: number;
}

export function measureCpu(pids: number[]): { stop(): CpuUse } {
  const started = performance.now();
  const server0 = pids.reduce((s, p) => s + processTicks(p), 0);
  const machine0 = machineTicks();
  return {
    stop() {
      const seconds = (performance.now() - started) / 1000;
      const server = pids.reduce((s, p) => s + processTicks(p), 0) - server0;
      const m = machineTicks();
      return {
        serverPct: (server / TICKS_PER_SECOND / seconds) * 100,
        machinePct: ((m.busy - machine0.busy) / Math.max(1, m.total - machine0.total)) * 100,
        stealPct: ((m.steal - machine0.steal) / Math.max(1, m.total - machine0.total)) * 100,
      };
    },
  };
}

/** Threads that compile code: the JVM's C1/C2 compilers and JavaScriptCore's JIT workers (Bun). */
const COMPILER_THREAD = /^(C1 CompilerThre|C2 CompilerThre|JITWorker)/;

/** CPU seconds a process's JIT compiler threads spent so far: warm-up work, not steady state. */
export function compilerCpuSeconds(pid: number): number {
  let ticks = 0;
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return 0;
  }
  for (const tid of tasks) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8");
      const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      if (COMPILER_THREAD.test(name)) ticks += statTicks(stat);
    } catch {} // the thread ended
  }
  return ticks / TICKS_PER_SECOND;
}
