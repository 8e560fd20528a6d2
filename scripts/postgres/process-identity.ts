// Whether a process recorded in a file is still the same process (Linux /proc): a pid alone can
// be reused, so a pid is paired with its start time. Without /proc (macOS) a live pid is trusted.
import { existsSync, readFileSync } from "node:fs";

function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  } catch {
    return undefined;
  }
}

/** Clock ticks since boot at which `pid` started, or undefined when it is gone (or without /proc). */
export function startTimeOf(pid: number): string | undefined {
  return statFields(pid)?.[19];
}

/** Alive and not a zombie (an exited child nobody reaped still answers kill(pid, 0)). */
export function isRunning(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (existsSync("/proc/self/stat")) {
    const fields = statFields(pid);
    return fields !== undefined && fields[0] !== "Z" && fields[0] !== "X";
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

export interface ProcessStamp {
  pid: number;
  startTime?: string;
}

export const stampOf = (pid: number): ProcessStamp => ({ pid, startTime: startTimeOf(pid) });

/** The process the stamp was taken of is still running (not another one that got its pid). */
export function isSameProcess(stamp: ProcessStamp): boolean {
  if (!isRunning(stamp.pid)) return false;
  return stamp.startTime === undefined || startTimeOf(stamp.pid) === stamp.startTime;
}

/** The pids whose parent is `pid` (Linux). */
export function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}
