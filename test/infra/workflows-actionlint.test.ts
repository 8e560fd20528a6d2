// The GitHub workflows, checked by actionlint (with shellcheck on every `run:` script).
import { beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO_ROOT, ensureInfraDeps, importInfra } from "./support/infra-deps";
import { ensureActionlint, ensureShellcheck } from "./support/lint-tools";

await ensureInfraDeps();
const { parse } = await importInfra<typeof import("../../infra/node_modules/yaml")>("node_modules/yaml");

let actionlint: string;
let shellcheck: string;

beforeAll(async () => {
  [actionlint, shellcheck] = await Promise.all([
    ensureActionlint(),
    ensureShellcheck(),
  ]);
}, 300_000);

// Named explicitly: actionlint's own discovery needs a .git folder, which a bare copy lacks.
const workflowsDir = join(REPO_ROOT, ".github", "workflows");
const workflows = readdirSync(workflowsDir).filter((f) => /\.ya?ml$/.test(f)).map((f) => join(workflowsDir, f));

function lint(files: string[] = workflows) {
  const proc = Bun.spawnSync([actionlint, "-no-color", "-oneline", "-shellcheck", shellcheck, ...files], {
    cwd: REPO_ROOT,
    timeout: 60_000,
  });
  return { code: proc.exitCode, out: proc.stdout.toString() + proc.stderr.toString() };
}

describe(".github/workflows", () => {
  test("actionlint finds no problem", () => {
    expect(workflows.length).toBeGreaterThan(0);
    const { code, out } = lint();
    expect(out).toBe("");
    expect(code).toBe(0);
  });

  test("actionlint does catch a broken workflow (the check can fail)", () => {
    const dir = mkdtempSync(join(tmpdir(), "workflows-"));
    const bad = join(dir, "bad.yml");
    writeFileSync(bad, "on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope }}\n");
    const { code, out } = lint([bad]);
    expect(code).not.toBe(0);
    expect(out).toContain("nope");
  });

  test("CI: Bun 1.4.5, frozen installs, typecheck and npm test; images and GitOps only on main", () => {
    const ci = parse(readFileSync(join(REPO_ROOT, ".github/workflows/ci.yml"), "utf8"));
    expect(ci.env.BUN_VERSION).toBe("1.4.5");
    expect(ci.permissions).toEqual({ contents: "read" });
    const runs = (job: string) => ci.jobs[job].steps.map((s: any) => s.run ?? "").join("\n");
    expect(runs("test")).toContain("bun install --frozen-lockfile");
    expect(runs("test")).toContain("bun run typecheck");
    expect(runs("test")).toContain("npm test");
    expect(ci.jobs.images.strategy.matrix.module).toEqual(["catalog", "cart", "order", "payment", "gateway"]);
    expect(ci.jobs.images.permissions.packages).toBe("write");
    expect(ci.jobs.gitops.permissions.contents).toBe("write");
    for (const job of ["images", "gitops"]) expect(ci.jobs[job].if).toContain("refs/heads/main");
    expect(runs("gitops")).toContain("generate-manifests.ts");
  });
});
