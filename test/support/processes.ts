import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Subprocess } from "bun";

export const repoRoot = join(import.meta.dir, "..", "..");

export const tempDir = (prefix = "shop-test-") => mkdtempSync(join(tmpdir(), prefix));

/** Ports freePort() handed out in this process: the kernel may give a just-released port to the next bind. */
const handedOut = new Set<number>();

/** A free TCP port on loopback, found by letting the OS pick one, never one this process was given before. */
export function freePort(): number {
  for (let attempt = 0; attempt < 100; attempt++) {
    const server = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response() });
    const port = server.port!;
    server.stop(true);
    if (handedOut.has(port)) continue;
    handedOut.add(port);
    return port;
  }
  throw new Error("no port free that this process has not handed out already (100 tries)");
}

/** Polls `url` until it answers 200, bounded by `timeoutMs`. */
export async function waitForOk(url: string, timeoutMs = 20_000, proc?: Subprocess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "";
  while (Date.now() < deadline) {
    if (proc && proc.exitCode !== null) throw new Error(`process exited with ${proc.exitCode} before ${url} was ready`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      if (res.ok) return;
      last = `status ${res.status}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await Bun.sleep(100);
  }
  throw new Error(`${url} not ready after ${timeoutMs} ms (${last})`);
}

export interface ServerProcess {
  url: string;
  port: number;
  dataDir: string;
  proc: Subprocess;
  /** SIGTERM and wait: a graceful shutdown. */
  stop(): Promise<number>;
  /** SIGKILL and wait: a crash. */
  kill(): Promise<void>;
  output(): string;
}

/** Starts an entrypoint as its own process on loopback and waits until it is ready. */
export async function startEntrypoint(
  entry: string,
  env: Record<string, string> = {},
  /**
   * readyPath: what "started" means (default /health/ready; /health/live for a gateway whose
   * services are meant to be down). wrapWith: a command the process runs under (e.g. strace and its flags).
   */
  opts: { dataDir?: string; port?: number; readyTimeoutMs?: number; readyPath?: string; wrapWith?: string[] } = {},
): Promise<ServerProcess> {
  const port = opts.port ?? freePort();
  const dataDir = opts.dataDir ?? tempDir();
  let output = "";
  // A bare name is a source entrypoint; an absolute path is a built bundle.
  const script = entry.startsWith("/") ? entry : join(repoRoot, "src", "entrypoints", entry);
  const proc = Bun.spawn([...(opts.wrapWith ?? []), "bun", script], {
    cwd: repoRoot,
    env: { ...process.env, NODE_ENV: "test", LOG_LEVEL: "warn", HOST: "127.0.0.1", PORT: String(port), DATA_DIR: dataDir, ...env },
    stdout: "pipe",
    stderr: "pipe",
  });
  for (const stream of [proc.stdout, proc.stderr]) {
    void (async () => {
      const decoder = new TextDecoder();
      const reader = (stream as ReadableStream<Uint8Array>).getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        output += decoder.decode(value);
        if (output.length > 200_000) output = output.slice(-100_000);
      }
    })();
  }
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForOk(`${url}${opts.readyPath ?? "/health/ready"}`, opts.readyTimeoutMs ?? 20_000, proc);
  } catch (error) {
    proc.kill("SIGKILL");
    throw new Error(`${entry} did not start: ${(error as Error).message}\n${output.slice(-4000)}`);
  }
  return {
    url,
    port,
    dataDir,
    proc,
    output: () => output,
    async stop() {
      proc.kill("SIGTERM");
      return proc.exited;
    },
    async kill() {
      proc.kill("SIGKILL");
      await proc.exited;
    },
  };
}

/** `count` consecutive free ports on loopback (for a launcher that takes a base port), found in a bounded number of tries. */
export function freePortRun(count: number): number {
  for (let attempt = 0; attempt < 100; attempt++) {
    // Below Linux's ephemeral range (32768+): ports there become outgoing connections' local ports at any
    // moment on a busy machine, so a run picked there can be taken before the launcher listens (seen in CI).
    const base = 15_000 + Math.floor(Math.random() * 17_000);
    const held: Array<{ stop(force?: boolean): void }> = [];
    try {
      for (let i = 0; i < count; i++) held.push(Bun.serve({ port: base + i, hostname: "127.0.0.1", fetch: () => new Response() }));
      return base;
    } catch {
      // taken: try another base
    } finally {
      for (const server of held) server.stop(true);
    }
  }
  throw new Error(`no run of ${count} free ports found`);
}

/** Whether a process is still running (a zombie waiting for its parent counts as gone). */
export function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

/** Waits until none of `pids` runs, bounded by `timeoutMs`; returns those still running. */
export async function waitUntilGone(pids: number[], timeoutMs: number): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && pids.some(isRunning)) await Bun.sleep(100);
  return pids.filter(isRunning);
}

/**
 * Runs an entrypoint that is expected to stop by itself (a start that must fail) and returns its
 * exit code and output; killed after `timeoutMs` (exit code null then). `wrap` prefixes the command
 * (e.g. to run it as another user).
 */
export async function runToExit(
  entry: string,
  env: Record<string, string>,
  opts: { timeoutMs?: number; wrap?: string[] } = {},
): Promise<{ exitCode: number | null; output: string }> {
  const script = entry.startsWith("/") ? entry : join(repoRoot, "src", "entrypoints", entry);
  const proc = Bun.spawn([...(opts.wrap ?? []), process.execPath, script], {
    cwd: repoRoot,
    env: { ...process.env, NODE_ENV: "test", LOG_LEVEL: "info", HOST: "127.0.0.1", ...env },
    stdout: "pipe",
    stderr: "pipe",
  });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    proc.kill("SIGKILL");
  }, opts.timeoutMs ?? 30_000);
  const [code, out, err] = await Promise.all([proc.exited, new Response(proc.stdout).text(), new Response(proc.stderr).text()]);
  clearTimeout(timer);
  return { exitCode: timedOut ? null : code, output: out + err };
}
