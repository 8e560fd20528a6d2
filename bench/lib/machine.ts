// What machine the numbers come from, for the results file.
import { readFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";

const read = (path: string) => {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return "";
  }
};
const run = (cmd: string[]) => {
  try {
    const r = Bun.spawnSync(cmd, { stdout: "pipe", stderr: "pipe" });
    return r.exitCode === 0 ? r.stdout.toString().trim() : "";
  } catch {
    return "";
  }
};

/** The mount that holds `dir`, as "<fs type> on <device>": SQLite's commit cost depends on it. */
function filesystemOf(dir: string): string {
  let best = { point: "", text: "unknown" };
  for (const line of read("/proc/mounts").split("\n")) {
    const [device, point, type] = line.split(" ");
    if (point && (dir === point || dir.startsWith(point.endsWith("/") ? point : `${point}/`)) && point.length >= best.point.length) {
      best = { point, text: `${type} on ${device} (mounted at ${point})` };
    }
  }
  return best.text;
}

/** `wrk -v` prints its version and usage, and exits non-zero. */
function wrkVersion(): string {
  try {
    const r = Bun.spawnSync(["wrk", "-v"], { stdout: "pipe", stderr: "pipe" });
    return `${r.stdout}${r.stderr}`.split("\n")[0]!.replace(/ Copyright.*/, "").trim() || "wrk";
  } catch {
    return "wrk (not installed)";
  }
}

/** HEAD, and the src/ files that differed from it when measured (read-only git plumbing). */
function commitDescription(): string {
  const head = run(["git", "rev-parse", "--short", "HEAD"]) || "unknown";
  const changed = run(["git", "diff-index", "--name-only", "HEAD", "--", "src"]).split("\n").filter(Boolean);
  return changed.length ? `${head} with uncommitted changes to ${changed.join(", ")}` : head;
}

export interface Machine {
  cores: number;
  cpuModel: string;
  memory: string;
  bun: string;
  kernel: string;
  os: string;
  wrk: string;
  dataFilesystem: string;
  commit: string;
}

export function describeMachine(): Machine {
  const memKb = Number(read("/proc/meminfo").match(/^MemTotal:\s+(\d+)/m)?.[1] ?? 0);
  return {
    cores: Number(run(["nproc"])) || cpus().length,
    cpuModel: read("/proc/cpuinfo").match(/^model name\s*:\s*(.+)$/m)?.[1]?.trim() ?? "unknown",
    memory: `${(memKb / 1024 / 1024).toFixed(1)} GiB`,
    bun: Bun.version,
    kernel: run(["uname", "-r"]),
    os: read("/etc/os-release").match(/^PRETTY_NAME="?([^"\n]+)/m)?.[1] ?? "unknown",
    wrk: wrkVersion(),
    dataFilesystem: filesystemOf(tmpdir()),
    commit: commitDescription(),
  };
}
