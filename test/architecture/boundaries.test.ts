import { describe, expect, test } from "bun:test";
import { cruise, type IReporterOutput } from "dependency-cruiser";
import { existsSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dir, "..", "..");
const rules = require(join(root, ".dependency-cruiser.cjs"));

async function violations(baseDir: string, paths: string[]) {
  const result: IReporterOutput = await cruise(paths, { ...rules.options, validate: true, ruleSet: { forbidden: rules.forbidden }, baseDir });
  if (typeof result.output === "string") throw new Error(result.output);
  return result.output.summary.violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`);
}

describe("module boundaries (dependency-cruiser)", () => {
  test("the real tree respects every rule", async () => {
    const found = await violations(root, ["src", "web/src"].filter((p) => existsSync(join(root, p))));
    expect(found).toEqual([]);
  });

  test("the rules catch a module reaching into another module and platform importing a module", async () => {
    const fixture = join(import.meta.dir, "fixture");
    const found = await violations(fixture, ["src"]);
    expect(found).toContain("module-internals: src/modules/cart/forbidden.ts -> src/modules/catalog/schema.ts");
    expect(found).toContain("platform-owns-no-business: src/platform/forbidden.ts -> src/modules/catalog/index.ts");
    // The contract import is allowed: only the two deliberate breaks are reported.
    expect(found).toHaveLength(2);
  });
});
