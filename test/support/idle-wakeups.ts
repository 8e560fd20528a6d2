import { readFileSync } from "node:fs";

/** How often a process's main thread went to sleep and was woken (timers, sockets), by the kernel's count. */
function mainThreadWakeups(pid: number): number {
  const status = readFileSync(`/proc/${pid}/task/${pid}/status`, "utf8");
  return Number(/^voluntary_ctxt_switches:\s+(\d+)/m.exec(status)![1]);
}

/**
 * Wake-ups per second of each process's main thread over `ms` of no traffic. A timer that fires
 * every few milliseconds shows here long before it shows as CPU: an idle shop process should sleep.
 */
export async function idleWakeupsPerSecond(pids: Record<string, number>, ms = 4000): Promise<Record<string, number>> {
  const before = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, mainThreadWakeups(pid)]));
  await Bun.sleep(ms);
  return Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, Math.round(((mainThreadWakeups(pid) - before[name]!) * 1000) / ms)]));
}
