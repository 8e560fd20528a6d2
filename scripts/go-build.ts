// Builds Go programs from the Go module proxy into .cache/, once per version: a throwaway module
// requires the program's module (with the `replace`s its own go.mod relies on, which Go ignores in a
// dependency) and `go build`s it. Builds run under `nice -n 19` (they are long and the machine is shared)
// and print progress; a finished build is moved into place whole, so a cache entry is never half written.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";

export const REPO_ROOT = resolve(import.meta.dir, "..");
export const CACHE_DIR = join(REPO_ROOT, ".cache");

export interface GoBuild {
  /** Folder under .cache/ that holds the binaries; its name carries the version, e.g. "kube/kine-v0.17.5". */
  cacheKey: string;
  module: string;
  version: string;
  /** Package path -> binary name (a path inside the cache folder, e.g. "bin/pulumi"). */
  binaries: Record<string, string>;
  /** Extra `replace old => new version` lines for the throwaway module. */
  replaces?: Record<string, string>;
  ldflags?: string[];
  /** Runs in the throwaway module before the build (e.g. to copy and patch a module's source). */
  prepare?: (workDir: string, go: GoRunner) => Promise<void>;
  /** Files besides the binaries to keep next to them, copied from module folders after the build. */
  files?: Record<string, { module: string; path: string }>;
  env?: Record<string, string>;
}

export type GoRunner = (args: string[], cwd: string, label?: string) => Promise<string>;

const log = (msg: string) => console.log(`[go-build] ${msg}`);
const minutes = (ms: number) => `${(ms / 60_000).toFixed(1)} min`;

/** Binary and file name -> its path in the cache. */
export function cachedPaths(build: GoBuild): Record<string, string> {
  const dir = join(CACHE_DIR, build.cacheKey);
  const names = [...Object.values(build.binaries), ...Object.keys(build.files ?? {})];
  return Object.fromEntries(names.map((name) => [name, join(dir, name)]));
}

export const isBuilt = (build: GoBuild) => Object.values(cachedPaths(build)).every((p) => existsSync(p));

/** `go` under nice with progress: with -v each package downloaded or compiled is a stderr line, counted every 30 s. */
function goRunner(env: Record<string, string | undefined>): GoRunner {
  return async (args, cwd, label) => {
    const started = Date.now();
    const proc = Bun.spawn(["nice", "-n", "19", "go", ...args], { cwd, env, stdout: "pipe", stderr: "pipe" });
    let lines = 0;
    let tail = "";
    const ticker = label
      ? setInterval(() => log(`${label}: ${lines} packages downloaded or compiled, ${minutes(Date.now() - started)}`), 30_000)
      : undefined;
    const readErr = (async () => {
      const decoder = new TextDecoder();
      const reader = proc.stderr.getReader();
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
        const text = decoder.decode(chunk.value);
        lines += text.split("\n").length - 1;
        tail = (tail + text).slice(-8000);
      }
    })();
    const [code, out] = await Promise.all([proc.exited, new Response(proc.stdout).text(), readErr]);
    clearInterval(ticker);
    if (code !== 0) throw new Error(`go ${args.join(" ")} failed (exit ${code}) in ${cwd}:\n${tail}`);
    return out;
  };
}

/** Builds (unless cached) and returns binary name -> path. */
export async function ensureGoBuild(build: GoBuild): Promise<Record<string, string>> {
  const paths = cachedPaths(build);
  if (isBuilt(build)) return paths;
  if (!Bun.which("go")) throw new Error(`${build.cacheKey} is not built and there is no Go toolchain to build it`);
  const started = Date.now();
  log(`building ${build.module}@${build.version} (${Object.keys(cachedPaths(build)).join(", ")}) into .cache/${build.cacheKey}`);
  const work = mkdtempSync(join(tmpdir(), "go-build-"));
  const env: Record<string, string | undefined> = {
    ...process.env,
    // -mod=mod: the throwaway module's go.sum is filled in as the build goes. The toolchain is Go's
    // choice: one older than a module's `go` line fetches the right one from the proxy.
    GOFLAGS: "-mod=mod",
    ...build.env,
  };
  const go = goRunner(env);
  try {
    const replaces = Object.entries(build.replaces ?? {}).map(([from, to]) => `replace ${from} => ${to}\n`).join("");
    writeFileSync(
      join(work, "go.mod"),
      `module buildcache.local/${build.cacheKey.replace(/[^a-z0-9.-]/gi, "-")}\n\ngo 1.24\n\nrequire ${build.module} ${build.version}\n\n${replaces}`,
    );
    await build.prepare?.(work, go);
    const out = join(work, "out");
    mkdirSync(out);
    const ldflags = ["-s", "-w", ...(build.ldflags ?? [])].join(" ");
    const jobs = process.env.GO_BUILD_JOBS ? ["-p", process.env.GO_BUILD_JOBS] : [];
    if (Object.keys(build.binaries).length > 0) await go(["build", "-v", "-trimpath", ...jobs, "-ldflags", ldflags, "-o", out + "/", ...Object.keys(build.binaries)], work, build.cacheKey);
    const dir = join(CACHE_DIR, build.cacheKey);
    mkdirSync(join(dir, ".."), { recursive: true });
    const staged = `${dir}.${process.pid}.tmp`;
    rmSync(staged, { recursive: true, force: true });
    mkdirSync(staged);
    for (const [pkg, bin] of Object.entries(build.binaries)) {
      mkdirSync(dirname(join(staged, bin)), { recursive: true });
      renameSync(join(out, pkg.split("/").at(-1)!), join(staged, bin));
    }
    for (const [name, { module, path }] of Object.entries(build.files ?? {})) {
      const { Dir: moduleDir } = JSON.parse(await go(["mod", "download", "-json", module], work)) as { Dir: string };
      mkdirSync(dirname(join(staged, name)), { recursive: true });
      copyFileSync(join(moduleDir, path), join(staged, name));
    }
    rmSync(dir, { recursive: true, force: true });
    renameSync(staged, dir);
    log(`built ${build.cacheKey} in ${minutes(Date.now() - started)}`);
    return paths;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
