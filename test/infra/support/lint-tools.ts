// The pinned linters and validators the infrastructure tests run (and the API fuzzer test/openapi uses), in one place: the tests use
// them, and `bun test/infra/support/lint-tools.ts prepare` (run by `npm test` before the tests)
// installs them once with its progress shown, so no test waits on pip or `go install`.
import { ensureGoTool } from "./go-tools";
import { ensureKubernetesValidate, ensureSchemathesis, ensureShellcheck } from "./python-tools";

export const ensureActionlint = () => ensureGoTool("github.com/rhysd/actionlint/cmd/actionlint", "v1.7.12", "actionlint");
export { ensureKubernetesValidate, ensureSchemathesis, ensureShellcheck };

if (import.meta.main && process.argv[2] === "prepare") {
  for (const [name, ensure] of [
    ["actionlint (go install)", ensureActionlint],
    ["shellcheck (pip)", ensureShellcheck],
    ["kubernetes-validate (pip)", ensureKubernetesValidate],
    ["schemathesis (pip)", ensureSchemathesis],
  ] as const) {
    const started = performance.now();
    console.log(`[test tools] ${name}...`);
    const path = await ensure();
    console.log(`[test tools] ${name}: ${path} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  }
}
