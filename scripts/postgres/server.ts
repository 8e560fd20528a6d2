// A PostgreSQL server on loopback from the machine's own binaries (Debian's `postgresql`), for the
// tests, the benchmark and developers: its own initdb folder, TCP on 127.0.0.1 only (no Unix
// socket), a password login, and never left running after the process that started it.
//   npm run postgres -- start    # foreground server on 127.0.0.1:15432 (POSTGRES_PORT), data in
//                                # .cache/postgres/local (POSTGRES_DIR); prints DATABASE_URL with
//                                # the database "shop"; Ctrl-C stops it. Data and password persist.
import { randomBytes } from "node:crypto";
import { chownSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { SQL, type Subprocess } from "bun";
import { commandFor, postgresBinDir, postgresVersion, runAs, type RunAs } from "./binaries";
import { isRunning, isSameProcess, stampOf, type ProcessStamp } from "./process-identity";
import { ephemeralPort } from "../ephemeral-port";
import { holdUntilSignal } from "../hold-until-signal";

const ROOT = resolve(import.meta.dir, "../..");
export const POSTGRES_CACHE = join(ROOT, ".cache", "postgres");
/** The superuser initdb creates; its password is made at initdb and kept beside the data. */
export const SUPERUSER = "shop";

export interface PostgresServer {
  host: "127.0.0.1";
  port: number;
  user: string;
  password: string;
  /** Holds data/, password, postgres.log and owner.json. */
  root: string;
  dataDir: string;
  logFile: string;
  /** The postmaster's pid (its backends are its children). */
  pid: number;
  version: string;
  /** postgres://shop:…@127.0.0.1:<port>/<database> */
  url(database?: string): string;
  /** Fast shutdown (clients disconnected, a checkpoint), bounded; then immediate. */
  stop(): Promise<void>;
  /** The same, synchronously: for a process "exit" handler. */
  stopSync(): void;
  /** Resolves with the postmaster's exit code, whoever stopped it. */
  exited: Promise<number>;
}

export interface StartPostgresOptions {
  /** The server's folder: data/, password, postgres.log, owner.json. */
  root: string;
  /** Default: a free loopback port, picked again when another process takes it first. */
  port?: number;
  /** Extra server settings (`-c name=value`). */
  settings?: Record<string, string | number>;
  /** A throwaway server (tests): initdb skips its fsyncs. The server itself keeps fsync on. */
  ephemeral?: boolean;
  /** Progress for a person waiting; silent by default. */
  log?: (message: string) => void;
  startTimeoutMs?: number;
  /**
   * Default true: the server stops when this process exits, even killed (SIGKILL included). False
   * leaves it running for whoever comes next (it then stops it, or reuses it: see stopStaleServer).
   */
  stopWithThisProcess?: boolean;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

class PortTakenError extends Error {}

/** Starts the server in `root` (initdb first when it has no data yet) and waits until it accepts connections. */
export async function startPostgres(opts: StartPostgresOptions): Promise<PostgresServer> {
  for (let attempt = 1; ; attempt++) {
    const port = opts.port ?? (await ephemeralPort());
    try {
      return await startOnPort(opts, port);
    } catch (error) {
      if (!(error instanceof PortTakenError) || opts.port !== undefined || attempt >= 5) throw error;
    }
  }
}

async function startOnPort(opts: StartPostgresOptions, port: number): Promise<PostgresServer> {
  const say = opts.log ?? (() => {});
  const bin = postgresBinDir();
  const version = postgresVersion(bin);
  const as = runAs();
  const root = resolve(opts.root);
  const dataDir = join(root, "data");
  const logFile = join(root, "postgres.log");
  const passwordFile = join(root, "password");
  mkdirSync(root, { recursive: true });
  if (as.uid !== undefined) chownSync(root, as.uid, as.gid!);
  await stopStaleServer(root, dataDir, say);

  if (!existsSync(join(dataDir, "PG_VERSION"))) {
    rmSync(dataDir, { recursive: true, force: true }); // a half-made folder from an interrupted initdb
    initdb(bin, as, root, dataDir, passwordFile, opts.ephemeral ?? false, say);
  }
  const password = readFileSync(passwordFile, "utf8").trim();

  const settings: Record<string, string | number> = {
    listen_addresses: "127.0.0.1",
    port,
    unix_socket_directories: "", // TCP only: no socket folder to own, no path-length limit
    max_connections: 200, // test files and the processes they start each hold a pool
    ...opts.settings,
  };
  const fd = openSync(logFile, "a");
  const logStart = statSync(logFile).size;
  let proc: Subprocess;
  try {
    // setpriv --pdeathsig: the kernel asks the postmaster for a fast shutdown when the thread that
    // started it ends, even by SIGKILL (the exit hook below covers only a normal exit).
    const pdeath = opts.stopWithThisProcess ?? true ? ["--pdeathsig", "INT"] : [];
    const args = Object.entries(settings).flatMap(([k, v]) => ["-c", `${k}=${v}`]);
    const cmd = commandFor(as, [join(bin, "postgres"), "-D", dataDir, ...args], pdeath);
    say(`starting PostgreSQL ${version} on 127.0.0.1:${port} (data ${dataDir}, log ${logFile})`);
    // Its own session: a terminal's Ctrl-C reaches this process, which stops the server in order.
    proc = Bun.spawn(cmd, { stdin: "ignore", stdout: fd, stderr: fd, detached: true });
  } finally {
    closeSync(fd);
  }
  writeFileSync(join(root, "owner.json"), JSON.stringify(stampOf(process.pid)));

  let exited = false;
  const onParentExit = () => stopSync();
  if (opts.stopWithThisProcess ?? true) process.on("exit", onParentExit);
  void proc.exited.then(() => {
    exited = true;
    process.off("exit", onParentExit);
  });

  /** SIGINT: fast shutdown. SIGQUIT: immediate (no checkpoint; crash recovery at the next start). */
  function stopSync(): void {
    if (exited || !isRunning(proc.pid)) return;
    proc.kill("SIGINT");
    const deadline = Date.now() + 10_000;
    while (isRunning(proc.pid) && Date.now() < deadline) Bun.sleepSync(20);
    if (isRunning(proc.pid)) proc.kill("SIGQUIT");
  }
  async function stop(): Promise<void> {
    if (exited) return;
    proc.kill("SIGINT");
    if (await Promise.race([proc.exited.then(() => true), sleep(30_000).then(() => false)])) return;
    proc.kill("SIGQUIT");
    await Promise.race([proc.exited, sleep(5_000)]);
  }

  const deadline = Date.now() + (opts.startTimeoutMs ?? 60_000);
  while (!isReady(dataDir, proc.pid)) {
    if (exited || proc.exitCode !== null) {
      const excerpt = logExcerpt(logFile, logStart);
      if (/could not bind|Address already in use/.test(excerpt)) throw new PortTakenError(`port ${port} is taken`);
      throw new Error(`PostgreSQL exited with code ${proc.exitCode} before accepting connections; log ${logFile}:\n${excerpt}`);
    }
    if (Date.now() > deadline) {
      stopSync();
      throw new Error(`PostgreSQL not ready on 127.0.0.1:${port} after ${opts.startTimeoutMs ?? 60_000} ms; log ${logFile}:\n${logExcerpt(logFile, logStart)}`);
    }
    await sleep(50);
  }
  const encoded = encodeURIComponent(password);
  return {
    host: "127.0.0.1",
    port,
    user: SUPERUSER,
    password,
    root,
    dataDir,
    logFile,
    pid: proc.pid,
    version,
    url: (database = "postgres") => `postgres://${SUPERUSER}:${encoded}@127.0.0.1:${port}/${database}`,
    stop,
    stopSync,
    exited: proc.exited,
  };
}

function initdb(bin: string, as: RunAs, root: string, dataDir: string, passwordFile: string, ephemeral: boolean, say: (m: string) => void): void {
  say(`initdb: a new data folder in ${dataDir}`);
  writeFileSync(passwordFile, `${randomBytes(18).toString("base64url")}\n`, { mode: 0o600 });
  if (as.uid !== undefined) chownSync(passwordFile, as.uid, as.gid!);
  const result = Bun.spawnSync(
    commandFor(as, [join(bin, "initdb"), "-D", dataDir, "-U", SUPERUSER, `--pwfile=${passwordFile}`,
      "--auth-host=scram-sha-256", "--auth-local=scram-sha-256", "--encoding=UTF8", "--locale=C.UTF-8", ...(ephemeral ? ["--no-sync"] : [])]),
    { stdout: "pipe", stderr: "pipe", cwd: root },
  );
  if (result.exitCode !== 0) {
    throw new Error(`initdb failed (exit ${result.exitCode}) in ${dataDir}:\n${result.stdout.toString()}${result.stderr.toString()}`);
  }
}

/** postmaster.pid's 8th line is the server's status; "ready" once it accepts connections (what pg_ctl -w waits for). */
function isReady(dataDir: string, pid: number): boolean {
  try {
    const lines = readFileSync(join(dataDir, "postmaster.pid"), "utf8").split("\n");
    return Number(lines[0]) === pid && lines[7]?.trim() === "ready";
  } catch {
    return false;
  }
}

/**
 * A postmaster still running on this data folder: when the process that started it is gone (a run
 * killed before it could stop it), it is stopped and the folder reused; when that process is alive,
 * the folder is in use and the start fails naming it.
 */
async function stopStaleServer(root: string, dataDir: string, say: (m: string) => void): Promise<void> {
  let pid: number;
  try {
    pid = Number(readFileSync(join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
  } catch {
    return;
  }
  if (!isRunning(pid) || !isPostmasterOf(pid, dataDir)) return; // a stale pid file: postgres itself ignores it
  const owner = readOwner(root);
  if (owner && isSameProcess(owner)) {
    throw new Error(`the PostgreSQL data folder ${dataDir} is in use by a server (pid ${pid}) that process ${owner.pid} started and still runs`);
  }
  say(`stopping PostgreSQL pid ${pid}, left running on ${dataDir} by a process that is gone`);
  await stopPid(pid);
}

export function readOwner(root: string): ProcessStamp | undefined {
  try {
    return JSON.parse(readFileSync(join(root, "owner.json"), "utf8")) as ProcessStamp;
  } catch {
    return undefined;
  }
}

/** Whether `pid` is a postgres serving `dataDir` (its command line names the folder). */
export function isPostmasterOf(pid: number, dataDir: string): boolean {
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
    return cmdline.some((a) => a.endsWith("/postgres") || a === "postgres") && cmdline.includes(dataDir);
  } catch {
    return false;
  }
}

/** Fast shutdown of a postmaster this process did not start, bounded: then immediate, then SIGKILL. */
export async function stopPid(pid: number): Promise<void> {
  for (const [signal, waitMs] of [["SIGINT", 15_000], ["SIGQUIT", 5_000], ["SIGKILL", 5_000]] as const) {
    try {
      process.kill(pid, signal);
    } catch {
      return; // gone
    }
    const deadline = Date.now() + waitMs;
    while (isRunning(pid) && Date.now() < deadline) await sleep(50);
    if (!isRunning(pid)) return;
  }
}

/** This run's FATAL/ERROR lines and its last lines. */
function logExcerpt(file: string, from: number): string {
  let lines: string[];
  try {
    lines = readFileSync(file).subarray(from).toString("utf8").trimEnd().split("\n");
  } catch {
    return "(no log)";
  }
  const errors = lines.filter((l) => /\b(FATAL|PANIC|ERROR):/.test(l)).slice(0, 8);
  return [...errors, "...", ...lines.slice(-15)].join("\n");
}

/** Creates `name` on the server unless it exists (CREATE DATABASE cannot say IF NOT EXISTS). */
export async function ensureDatabase(server: PostgresServer, name: string): Promise<void> {
  const admin = new SQL({ url: server.url("postgres"), max: 1, connectionTimeout: 10 });
  try {
    const [row] = await admin`SELECT 1 AS found FROM pg_database WHERE datname = ${name}`;
    if (!row) await admin.unsafe(`CREATE DATABASE "${name.replaceAll('"', '""')}"`);
  } finally {
    await admin.close();
  }
}

if (import.meta.main) {
  const cmd = process.argv[2];
  if (cmd !== "start") {
    console.error("usage: npm run postgres -- start   (env POSTGRES_PORT overrides port 15432, POSTGRES_DIR the folder .cache/postgres/local)");
    process.exit(2);
  }
  const rawPort = process.env.POSTGRES_PORT || "15432";
  if (!/^\d+$/.test(rawPort) || Number(rawPort) < 1 || Number(rawPort) > 65535) {
    console.error(`POSTGRES_PORT must be a port number (1-65535), got "${rawPort}"`);
    process.exit(2);
  }
  let server: PostgresServer;
  try {
    const root = process.env.POSTGRES_DIR || join(POSTGRES_CACHE, "local");
    server = await startPostgres({ root, port: Number(rawPort), log: (m) => console.error(`postgres: ${m}`) });
    await ensureDatabase(server, "shop");
  } catch (error) {
    console.error(`postgres: ${(error as Error).message}`);
    process.exit(1);
  }
  console.log(`DATABASE_URL=${server.url("shop")}`);
  console.error(`postgres: ready (PostgreSQL ${server.version}, pid ${server.pid}); Ctrl-C to stop`);
  holdUntilSignal("postgres", server, server.logFile);
}
