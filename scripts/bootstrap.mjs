#!/usr/bin/env node
// `npm start` and `npm test` on a machine that has Node.js and npm but maybe not Bun:
// installs what is missing (the pinned Bun from npm, the dependencies, and for tests Chromium and
// the Kafka jars), then hands over to Bun. Plain Node on purpose: it runs before Bun exists.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync, statSync, readdirSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const BUN_VERSION = pkg.packageManager.replace(/^bun@/, "");
const command = process.argv[2];
const log = (msg) => console.log(`[bootstrap] ${msg}`);

function run(cmd, args, opts = {}) {
  const result = spawnSync(cmd, args, { stdio: "inherit", cwd: root, ...opts });
  if (result.status !== 0) {
    console.error(`[bootstrap] failed: ${cmd} ${args.join(" ")}`);
    process.exit(result.status ?? 1);
  }
}

function versionOf(bin) {
  try {
    return execFileSync(bin, ["--version"], { encoding: "utf8" }).trim();
  } catch {
    return null;
  }
}

/** The pinned Bun: from PATH when it is that version, otherwise installed from npm into .tools/. */
function ensureBun() {
  if (versionOf("bun") === BUN_VERSION) return "bun";
  const local = join(root, ".tools", "node_modules", ".bin", "bun");
  if (versionOf(local) !== BUN_VERSION) {
    log(`installing Bun ${BUN_VERSION} from npm into .tools/`);
    run("npm", ["install", "--prefix", join(root, ".tools"), "--no-save", "--no-audit", "--no-fund", `bun@${BUN_VERSION}`]);
  }
  return local;
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
function ensureWebBuild(bun) {
  if (!existsSync(join(root, "web", "index.html"))) return;
  const dist = join(root, "web", "dist", "index.html");
  const sources = Math.max(newestMtime(join(root, "web", "src")), statSync(join(root, "web", "index.html")).mtimeMs);
  if (existsSync(dist) && statSync(dist).mtimeMs >= sources) return;
  log("building the dashboard");
  run(bun, ["run", "web:build"]);
}

/** Debian's Chromium for the dashboard's browser tests (never a test tool's own download). */
function ensureChromium() {
  if (existsSync("/usr/bin/chromium")) return;
  if (process.getuid?.() !== 0) {
    console.error("[bootstrap] /usr/bin/chromium is missing: run `sudo apt-get install -y chromium`");
    process.exit(1);
  }
  log("installing Chromium from Debian");
  run("apt-get", ["update", "-qq"]);
  run("apt-get", ["install", "-y", "-qq", "--no-install-recommends", "chromium"], { env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
}

const bun = ensureBun();
const env = { ...process.env, PATH: `${dirname(bun === "bun" ? "/usr/bin/bun" : bun)}:${process.env.PATH}` };
run(bun, ["install", "--frozen-lockfile"], { env });

if (command === "start") {
  ensureWebBuild(bun);
  const child = spawn(bun, ["src/entrypoints/all.ts"], {
    stdio: "inherit",
    cwd: root,
    env: { WEB_DIST: join(root, "web", "dist"), ...env },
  });
  for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
  child.on("exit", (code) => process.exit(code ?? 0));
} else if (command === "test") {
  ensureChromium();
  if (existsSync(join(root, "infra", "package.json"))) run(bun, ["install", "--frozen-lockfile"], { cwd: join(root, "infra"), env });
  if (existsSync(join(root, "scripts", "kafka", "broker.ts"))) run(bun, ["scripts/kafka/broker.ts", "prepare"], { env });
  // The local Kubernetes control plane for test/infra (kine, kube-apiserver, ..., kwok): built from the
  // Go module proxy into .cache/kube once per version; 8-15 min the first time, progress printed.
  if (existsSync(join(root, "scripts", "kube", "control-plane.ts"))) run(bun, ["scripts/kube/control-plane.ts", "prepare"], { env });
  ensureWebBuild(bun);
  run(bun, ["run", "typecheck"], { env });
  run(bun, ["test", ...process.argv.slice(3)], { env });
} else {
  console.error("usage: node scripts/bootstrap.mjs start|test [bun test args]");
  process.exit(2);
}
