// Go tools installed with `go install` into .cache/bin (GOBIN) on first use, at a pinned version,
// through the Go module proxy; bounded in time so a slow proxy fails the test instead of hanging it.
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "./infra-deps";

export const GOBIN = join(REPO_ROOT, ".cache", "bin");

export async function ensureGoTool(modulePath: string, version: string, bin: string): Promise<string> {
  const path = join(GOBIN, bin);
  if (existsSync(path)) return path;
  if (!Bun.which("go")) throw new Error(`${bin} is missing and there is no Go toolchain to install it`);
  mkdirSync(GOBIN, { recursive: true });
  const proc = Bun.spawn(["go", "install", `${modulePath}@${version}`], {
    env: { ...process.env, GOBIN, GOFLAGS: "-mod=mod" },
    stdout: "pipe",
    stderr: "pipe",
    timeout: 240_000,
  });
  const [code, err] = await Promise.all([proc.exited, new Response(proc.stderr).text()]);
  if (code !== 0 || !existsSync(path)) throw new Error(`go install ${modulePath}@${version} failed (${code}):\n${err}`);
  return path;
}
