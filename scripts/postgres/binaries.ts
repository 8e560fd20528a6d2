// Where PostgreSQL's programs are, and as whom they run. Debian installs them under
// /usr/lib/postgresql/<version>/bin (not on the PATH); elsewhere they are on the PATH.
// The server refuses to run as root: as root, initdb and postgres run as the `postgres` system
// user that Debian's package creates (setpriv), and their folders are handed to it.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export const INSTALL_HINT = "install it with `sudo apt-get install -y postgresql` (Debian/Ubuntu; `npm test` does it when run as root)";

export class PostgresMissingError extends Error {
  override name = "PostgresMissingError";
}

/** The folder holding `postgres` and `initdb`: the newest Debian version, else the PATH's. */
export function postgresBinDir(): string {
  const debian = "/usr/lib/postgresql";
  if (existsSync(debian)) {
    const versions = readdirSync(debian)
      .filter((v) => /^\d+$/.test(v) && existsSync(join(debian, v, "bin", "postgres")) && existsSync(join(debian, v, "bin", "initdb")))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return join(debian, versions[0], "bin");
  }
  for (const dir of (process.env.PATH ?? "").split(":")) {
    if (dir && existsSync(join(dir, "postgres")) && existsSync(join(dir, "initdb"))) return dir;
  }
  throw new PostgresMissingError(`PostgreSQL's server programs (postgres, initdb) were not found: ${INSTALL_HINT}`);
}

/** The major version of the server in `binDir` (its folder name on Debian, else `postgres --version`). */
export function postgresVersion(binDir: string): string {
  const fromPath = /\/postgresql\/(\d+)\/bin$/.exec(binDir)?.[1];
  if (fromPath) return fromPath;
  const out = Bun.spawnSync([join(binDir, "postgres"), "--version"]).stdout.toString();
  return /(\d+)(\.\d+)?/.exec(out)?.[1] ?? "?";
}

export interface RunAs {
  /** setpriv flags that switch to the server's user (empty when this process may run it itself). */
  setpriv: string[];
  /** Owner to give the server's folders (root only). */
  uid?: number;
  gid?: number;
}

/** As root: the `postgres` system user (setpriv); otherwise this process's own user. */
export function runAs(): RunAs {
  if (process.getuid?.() !== 0) return { setpriv: [] };
  const line = readFileSync("/etc/passwd", "utf8").split("\n").find((l) => l.startsWith("postgres:"));
  const [, , uid, gid] = line?.split(":") ?? [];
  if (!uid || !gid) {
    throw new PostgresMissingError(
      "PostgreSQL refuses to run as root and there is no `postgres` system user to run it as: run as another user, or install Debian's postgresql package (it creates that user)",
    );
  }
  if (!existsSync(SETPRIV)) throw new PostgresMissingError("running PostgreSQL as the postgres user from root needs setpriv (util-linux)");
  return { setpriv: [`--reuid=${uid}`, `--regid=${gid}`, "--init-groups"], uid: Number(uid), gid: Number(gid) };
}

const SETPRIV = "/usr/bin/setpriv";

/**
 * The command line running `program` as `as` says, with extra setpriv flags (e.g. a parent-death
 * signal, dropped where setpriv is missing: macOS).
 */
export function commandFor(as: RunAs, program: string[], extraSetpriv: string[] = []): string[] {
  const flags = [...as.setpriv, ...(existsSync(SETPRIV) ? extraSetpriv : [])];
  return flags.length ? [SETPRIV, ...flags, "--", ...program] : program;
}
