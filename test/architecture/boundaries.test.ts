import { describe, expect, test } from "bun:test";
import { cruise, type IReporterOutput } from "dependency-cruiser";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dir, "..", "..");
const rules = require(join(root, ".dependency-cruiser.cjs"));

async function violations(baseDir: string, paths: string[]) {
  const result: IReporterOutput = await cruise(paths, { ...rules.options, validate: true, ruleSet: { forbidden: rules.forbidden }, baseDir });
  if (typeof result.output === "string") throw new Error(result.output);
  return result.output.summary.violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`);
}

/** The file under test/architecture/fixture that breaks each rule on purpose, and the import that does it. */
const BROKEN_BY_FIXTURE: Record<string, string> = {
  "no-cycles": "src/platform/cycle-first.ts -> src/platform/cycle-second.ts",
  "module-internals": "src/modules/cart/reaches-into-catalog.ts -> src/modules/catalog/schema.ts",
  "contract-is-data": "src/modules/payment/index.ts -> src/modules/payment/card-processor.ts",
  "only-entrypoints-build-modules": "src/modules/catalog/seed-tool.ts -> src/modules/catalog/module.ts",
  "platform-owns-no-business": "src/platform/reaches-into-module.ts -> src/modules/catalog/index.ts",
  "only-entrypoints-wire": "src/platform/uses-entrypoint.ts -> src/entrypoints/all.ts",
  "dashboard-uses-contracts-only": "web/src/reaches-into-server.ts -> src/modules/catalog/schema.ts",
};

describe("module boundaries (dependency-cruiser)", () => {
  test("the real tree respects every rule", async () => {
    const found = await violations(root, ["src", "web/src"].filter((p) => existsSync(join(root, p))));
    expect(found).toEqual([]);
  });

  test("every rule fires on the fixture file made to break it, and on nothing the fixture allows", async () => {
    const found = await violations(join(import.meta.dir, "fixture"), ["src", "web/src"]);
    const names: string[] = rules.forbidden.map((rule: { name: string }) => rule.name);
    expect(names.toSorted()).toEqual(Object.keys(BROKEN_BY_FIXTURE).toSorted());
    for (const name of names) expect(found).toContain(`${name}: ${BROKEN_BY_FIXTURE[name]}`);
    // The contract imports, a type-only re-export and an entrypoint building a module are allowed.
    expect(found).toHaveLength(names.length);
  });
});

describe("contract entries hold data, not behaviour", () => {
  const modules = readdirSync(join(root, "src", "modules"));

  test.each(modules)("%s/index.ts exports no function", async (name) => {
    const door = await import(join(root, "src", "modules", name, "index.ts"));
    const functions = Object.entries(door)
      .filter(([, value]) => typeof value === "function")
      .map(([key]) => key);
    expect(functions).toEqual([]);
  });
});
