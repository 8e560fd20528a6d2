import { existsSync, readdirSync, realpathSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "./processes";

const SYSTEM_PATH = ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"];

/**
 * A PATH like a machine that has Node.js and npm but no Bun: the system folders, where a folder
 * holding `bun` (here /usr/bin, where npm put it) is replaced by a copy of its links without it.
 */
export function pathWithoutBun(): string {
  const seen = new Set<string>();
  const dirs: string[] = [];
  for (const dir of SYSTEM_PATH) {
    if (!existsSync(dir)) continue;
    const real = realpathSync(dir);
    if (seen.has(real)) continue;
    seen.add(real);
    const names = readdirSync(real);
    if (!names.includes("bun") && !names.includes("bunx")) {
      dirs.push(real);
      continue;
    }
    const copy = tempDir("shop-nobun-bin-");
    for (const name of names) if (name !== "bun" && name !== "bunx") symlinkSync(join(real, name), join(copy, name));
    dirs.push(copy);
  }
  const path = dirs.join(":");
  if (Bun.which("bun", { PATH: path })) throw new Error(`bun is still on ${path}`);
  if (!Bun.which("npm", { PATH: path }) || !Bun.which("node", { PATH: path })) throw new Error(`node or npm missing from ${path}`);
  return path;
}

/** The environment of a shell on such a machine: this process's variables minus Bun's and npm's own, with that PATH. */
export function envWithoutBun(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined || /^(npm_|BUN_|INIT_CWD$|NODE$)/i.test(key)) continue;
    env[key] = value;
  }
  return { ...env, PATH: pathWithoutBun(), ...extra };
}
