// `npm test` makes sure PostgreSQL's server is installed (scripts/postgres/ensure-installed.mjs,
// called by bootstrap.mjs): nothing to do when it is, and without root a message saying what to run.
// (As root with it missing, it runs apt-get: that path is the one CI takes on a fresh machine.)
import { expect, test } from "bun:test";
import { join } from "node:path";
import { repoRoot } from "../support/processes";

const module = join(repoRoot, "scripts", "postgres", "ensure-installed.mjs");
const asUnprivileged = process.getuid?.() === 0 ? ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] : [];

function ensure(where: string): { code: number | null; output: string } {
  const script = `import(${JSON.stringify(module)}).then((m) => { m.ensurePostgres((line) => console.error("[bootstrap] " + line), ${where}); console.error("done"); })`;
  const result = Bun.spawnSync([...asUnprivileged, "node", "-e", script], { stdout: "pipe", stderr: "pipe", cwd: "/" });
  return { code: result.exitCode, output: result.stdout.toString() + result.stderr.toString() };
}

test("with PostgreSQL installed (this machine): nothing to do", () => {
  expect(ensure("undefined")).toEqual({ code: 0, output: "done\n" });
});

test("missing, without root: exits 1 saying what to install", () => {
  const { code, output } = ensure(`{ debian: "/nonexistent", path: "/nonexistent" }`);
  expect(code).toBe(1);
  expect(output).toContain("[bootstrap] PostgreSQL's server (postgres, initdb) is missing: run `sudo apt-get install -y postgresql`");
  expect(output).not.toContain("done");
});
