// PostgreSQL's server programs for the tests (`npm test`), from Debian like Chromium: installed
// with apt-get when missing and this runs as root; otherwise a message saying what to run.
// Plain Node: bootstrap.mjs calls it before Bun exists. binaries.ts finds the programs for Bun code.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";

/** Whether `postgres` and `initdb` exist under /usr/lib/postgresql/<v>/bin (Debian) or on the PATH. */
export function postgresInstalled({ debian = "/usr/lib/postgresql", path = process.env.PATH ?? "" } = {}) {
  const has = (dir) => existsSync(join(dir, "postgres")) && existsSync(join(dir, "initdb"));
  if (existsSync(debian) && readdirSync(debian).some((v) => has(join(debian, v, "bin")))) return true;
  return path.split(":").some((dir) => dir && has(dir));
}

export function ensurePostgres(log, where = {}) {
  if (postgresInstalled(where)) return;
  if (process.getuid?.() !== 0 || !existsSync("/usr/bin/apt-get")) {
    log("PostgreSQL's server (postgres, initdb) is missing: run `sudo apt-get install -y postgresql` (Debian/Ubuntu) or install PostgreSQL 15+ so that postgres and initdb are on the PATH");
    process.exit(1);
  }
  log("installing PostgreSQL from Debian");
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  for (const args of [["update", "-qq"], ["install", "-y", "-qq", "--no-install-recommends", "postgresql"]]) {
    const result = spawnSync("apt-get", args, { stdio: "inherit", env });
    if (result.status !== 0) {
      log(`failed: apt-get ${args.join(" ")}`);
      process.exit(result.status ?? 1);
    }
  }
}
