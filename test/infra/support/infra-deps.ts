// infra/ is its own package (Pulumi and validators stay out of the app's dependencies), so the test
// command installs it first: `bun install --cwd infra --frozen-lockfile && bun test test/infra`.
// Without that, this installs it and asks for one more run: bun test lists the project's folders
// when it starts, and its resolver keeps that listing (infra/ without node_modules) for the run.
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";

export const REPO_ROOT = resolve(import.meta.dir, "../../..");
export const INFRA_DIR = join(REPO_ROOT, "infra");

function missingPackages(): string[] {
  const pkg = JSON.parse(readFileSync(join(INFRA_DIR, "package.json"), "utf8"));
  const names = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies });
  return names.filter((name) => !existsSync(join(INFRA_DIR, "node_modules", name, "package.json")));
}

let installing: Promise<void> | undefined;

export function ensureInfraDeps(): Promise<void> {
  installing ??= (async () => {
    const missing = missingPackages();
    if (missing.length === 0) return;
    console.log(`infra/: installing (missing ${missing.join(", ")})`);
    const proc = Bun.spawn(["bun", "install", "--frozen-lockfile"], {
      cwd: INFRA_DIR,
      stdout: "inherit",
      stderr: "inherit",
      timeout: 180_000,
    });
    if ((await proc.exited) !== 0) throw new Error("bun install --frozen-lockfile in infra/ failed");
    throw new Error(
      "infra/ dependencies were missing and are now installed: run the tests again. " +
        "To avoid this, run `bun install --cwd infra --frozen-lockfile` before `bun test`.",
    );
  })();
  return installing;
}

/** Imports a module of infra/ once its dependencies are there (typed by the caller). */
export async function importInfra<T>(relativePath: string): Promise<T> {
  await ensureInfraDeps();
  return (await import(join(INFRA_DIR, relativePath))) as T;
}
