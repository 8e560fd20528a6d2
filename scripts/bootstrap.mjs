#!/usr/bin/env node
// Every `npm run` command of the README goes through here, on a machine that has Node.js and npm
// but maybe not Bun: installs what is missing (the pinned Bun from npm, the dependencies, and for
// tests Chromium and the Kafka jars), then hands over to Bun with that Bun first on the PATH of
// everything it runs. Plain Node on purpose: it runs before Bun exists.
//
//   node scripts/bootstrap.mjs start          the whole shop in one process
//   node scripts/bootstrap.mjs split          Kafka and the five services (scripts/split.ts)
//   node scripts/bootstrap.mjs test [args]    what the tests need, the type check, then `bun test [args]`
//   node scripts/bootstrap.mjs bun <args>     any Bun command (simulate, kafka, bench, db:generate)
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync, statSync, readdirSync } from "node:fs";
import { constants } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { ensurePostgres } from "./postgres/ensure-installed.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const BUN_VERSION = pkg.packageManager.replace(/^bun@/, "");
const [command, ...rest] = process.argv.slice(2);
const log = (msg) => console.error(`[bootstrap] ${msg}`);

function run(cmd, args, opts = {}) {
  const result = spawnSync(cmd, args, { stdio: "inherit", cwd: root, ...opts });
  if (result.status !== 0) {
    log(`failed: ${cmd} ${args.join(" ")}`);
    process.exit(result.status ?? 1);
  }
}

function versionOf(bin) {
  try {
    return execFileSync(bin, ["--version"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return null;
  }
}

/** The pinned Bun: from PATH when it is that version, otherwise installed from npm into .tools/. */
function ensureBun() {
  const onPath = process.env.PATH?.split(":").map((dir) => join(dir, "bun")).find((bin) => existsSync(bin));
  if (onPath && versionOf(onPath) === BUN_VERSION) return onPath;
  const local = join(root, ".tools", "node_modules", ".bin", "bun");
  if (versionOf(local) !== BUN_VERSION) {
    log(`installing Bun ${BUN_VERSION} from npm into .tools/ (once)`);
    run("npm", ["install", "--prefix", join(root, ".tools"), "--no-save", "--no-audit", "--no-fund", `bun@${BUN_VERSION}`]);
  }
  return local;
}

/** `bun install --frozen-lockfile`, quiet when there is nothing to do. */
function ensureDependencies(bun, cwd, env) {
  const result = spawnSync(bun, ["install", "--frozen-lockfile"], { cwd, env, encoding: "utf8" });
  const output = `${result.stdout ?? ""}${result.stderr ?? ""}`;
  if (result.status !== 0) {
    process.stderr.write(output);
    log(`failed: bun install --frozen-lockfile in ${cwd}`);
    process.exit(result.status ?? 1);
  }
  if (!/no changes/.test(output)) process.stderr.write(output);
}

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** Builds the dashboard when its sources are newer than the last build. */
function ensureWebBuild(bun, env) {
  if (!existsSync(join(root, "web", "index.html"))) return;
  const dist = join(root, "web", "dist", "index.html");
  const sources = Math.max(newestMtime(join(root, "web", "src")), statSync(join(root, "web", "index.html")).mtimeMs);
  if (existsSync(dist) && statSync(dist).mtimeMs >= sources) return;
  log("building the dashboard");
  run(bun, ["run", "web:build"], { env });
}

/**
 * What the tests need from Debian, installed before they start: Chromium for the dashboard's browser
 * tests (never a test tool's own download), wrk for the benchmark scripts' bounded runs, strace for
 * the durability test (it watches that no answer leaves before its writes are synced).
 */
function ensureDebianTools() {
  const tools = [
    ["/usr/bin/chromium", "chromium"],
    ["/usr/bin/wrk", "wrk"],
    ["/usr/bin/strace", "strace"],
  ];
  const missing = tools.filter(([path]) => !existsSync(path)).map(([, pkg]) => pkg);
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    log(`${missing.join(", ")} missing: run \`sudo apt-get install -y ${missing.join(" ")}\``);
    process.exit(1);
  }
  log(`installing ${missing.join(", ")} from Debian`);
  run("apt-get", ["update", "-qq"]);
  run("apt-get", ["install", "-y", "-qq", "--no-install-recommends", ...missing], { env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
}

/** The parent process of `pid` (Linux /proc), or null when it is gone. */
function parentOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
  } catch {
    return null;
  }
}

/**
 * Calls `onGone` once this process's parent, or the parent's parent, has gone away. `kill <pid of
 * npm start>` ends npm and the `sh -c` it ran, but signals neither this process nor Bun: without
 * this the shop would keep serving as an orphan. Two links cover npm -> sh -> here.
 */
function watchAncestors(onGone) {
  const links = [];
  if (existsSync("/proc/self/stat")) {
    for (let child = process.pid, depth = 0; depth < 2; depth++) {
      const parent = parentOf(child);
      if (!parent || parent <= 1) break;
      links.push([child, parent]);
      child = parent;
    }
  }
  // Without /proc (macOS), only the direct parent: process.ppid is read afresh on each call.
  const parentAtStart = process.ppid;
  const gone = () => (links.length ? links.some(([child, parent]) => parentOf(child) !== parent) : process.ppid !== parentAtStart);
  const timer = setInterval(() => {
    if (gone()) {
      clearInterval(timer);
      onGone();
    }
  }, 500);
  timer.unref();
}

/**
 * Runs Bun as this process's only job: signals are passed on, Bun is stopped when whoever started
 * this goes away, and this process exits with Bun's code. On Linux, setpriv's parent-death signal
 * makes the kernel send Bun SIGTERM even if this process is killed with SIGKILL.
 */
function handOver(bun, args, env) {
  const pdeath = existsSync("/usr/bin/setpriv") ? ["/usr/bin/setpriv", "--pdeathsig", "TERM"] : [];
  const [cmd, ...cmdArgs] = [...pdeath, bun, ...args];
  const child = spawn(cmd, cmdArgs, { stdio: "inherit", cwd: root, env });
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, () => child.kill(signal));
  watchAncestors(() => {
    log("the process that started this one is gone: stopping Bun");
    child.kill("SIGTERM");
    setTimeout(() => child.kill("SIGKILL"), 20_000).unref();
  });
  child.on("exit", (code, signal) => process.exit(code ?? 128 + (constants.signals[signal] ?? 0)));
}

const USAGE = "usage: node scripts/bootstrap.mjs start | split | test [bun test args] | bun <bun args>";
if (!["start", "split", "test", "bun"].includes(command)) {
  console.error(USAGE);
  process.exit(2);
}

const bun = ensureBun();
const env = { ...process.env, PATH: `${dirname(bun)}:${process.env.PATH ?? ""}` };
ensureDependencies(bun, root, env);

if (command === "start") {
  ensureWebBuild(bun, env);
  handOver(bun, [join(root, "src", "entrypoints", "all.ts")], env);
} else if (command === "split") {
  ensureWebBuild(bun, env);
  handOver(bun, [join(root, "scripts", "split.ts")], env);
} else if (command === "test") {
  ensureDebianTools();
  ensurePostgres(log); // the tests' PostgreSQL server, from Debian (scripts/postgres/ensure-installed.mjs)
  if (existsSync(join(root, "infra", "package.json"))) ensureDependencies(bun, join(root, "infra"), env);
  if (existsSync(join(root, "scripts", "kafka", "broker.ts"))) run(bun, ["scripts/kafka/broker.ts", "prepare"], { env });
  // The local Kubernetes control plane for test/infra (kine, kube-apiserver, ..., kwok): built from the
  // Go module proxy into .cache/kube once per version; 8-15 min the first time, progress printed.
  if (existsSync(join(root, "scripts", "kube", "control-plane.ts"))) run(bun, ["scripts/kube/control-plane.ts", "prepare"], { env });
  // The pinned linters and validators of test/infra (pip and go install), once, with progress.
  if (existsSync(join(root, "test", "infra", "support", "lint-tools.ts"))) run(bun, ["test/infra/support/lint-tools.ts", "prepare"], { env });
  ensureWebBuild(bun, env);
  run(bun, ["run", "typecheck"], { env });
  // Tests that start processes need more than bun's default 5 s on a busy machine. Only the command line
  // sets a default for every file (bunfig's `timeout` is ignored, and setDefaultTimeout in a preload only
  // reaches the first file); a test that must be quick says so itself.
  const timeout = rest.some((arg) => arg.startsWith("--timeout")) ? [] : ["--timeout", "60000"];
  handOver(bun, ["test", ...timeout, ...rest], env);
} else {
  // `npm run postgres` and `npm run bench` (PostgreSQL rows unless `--engine sqlite`) need the server's
  // programs, which `npm start` does not install.
  const needsPostgres = rest[0] === "scripts/postgres/server.ts" || (rest[0] === "bench/run.ts" && !rest.some((arg) => arg.endsWith("sqlite")));
  if (needsPostgres) ensurePostgres(log);
  handOver(bun, rest, env);
}
