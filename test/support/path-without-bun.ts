import { existsSync, readdirSync, realpathSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "./processes";

/**
 * A PATH like a machine that has Node.js and npm but no Bun: this process's PATH, where each folder
 * holding `bun` (/usr/bin here, where a global npm install put it; .tools/ under the bootstrap) is
 * replaced by a folder of links to everything else in it.
 */
export function pathWithoutBun(): string {
  const seen = new Set<string>();
  const dirs: string[] = [];
  for (const dir of (process.env.PATH ?? "").split(":")) {
    if (!dir || !existsSync(dir)) continue;
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

/** Set by bun test, npm or a test's own settings: a newcomer's shell has none of them. */
const NOT_IN_A_FRESH_SHELL =
  /^(npm_.*|BUN_.*|INIT_CWD|NODE|NODE_ENV|LOG_LEVEL|PORT|HOST|DATA_DIR|WEB_DIST|BASE_URL|KAFKA_.*|(CATALOG|CART|ORDER|PAYMENT)_URL|TOKEN_.*|DEMO_.*|SEED_CATALOG|MAX_BODY_BYTES|OTEL_.*)$/i;

/**
 * The environment of a shell on such a machine: this process's variables (certificates, proxies)
 * minus those of Bun, npm and the shop's own settings, with that PATH, plus `extra`.
 */
export function envWithoutBun(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined || NOT_IN_A_FRESH_SHELL.test(key)) continue;
    env[key] = value;
  }
  return { ...env, PATH: pathWithoutBun(), ...extra };
}
