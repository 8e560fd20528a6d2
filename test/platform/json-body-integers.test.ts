// The class behind '"5" is accepted as a quantity': Elysia's t.Integer (and t.Numeric) accept a
// numeric string. Query and path parameters are text and may convert; a JSON body has numbers, so
// no body schema of any route may take a string where it declares a number. This walks every
// route's body schema in the all-in-one app (every module's public and internal routes, the same
// route definitions the split services serve), and proves the check catches Elysia's type.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { t, type TSchema } from "elysia";
import { buildAllInOne } from "../../src/entrypoints/all-in-one";
import { loadConfig } from "../../src/platform/config";
import { JsonInteger } from "../../src/platform/http/json-integer";
import { tempDir } from "../support/processes";

const TransformKind = Symbol.for("TypeBox.Transform");

/** Paths inside `schema` where a number may arrive as a string (or where a value is decoded at all). */
function textualNumbers(schema: unknown, at = "body"): string[] {
  if (!schema || typeof schema !== "object") return [];
  const s = schema as Record<string | symbol, unknown>;
  const found: string[] = [];
  if (TransformKind in s) found.push(`${at} (decoded by a transform)`);
  if (s.type === "string" && (s.format === "integer" || s.format === "numeric")) found.push(`${at} (a string of format ${s.format})`);
  for (const key of ["anyOf", "oneOf", "allOf"] as const) {
    (s[key] as unknown[] | undefined)?.forEach((branch) => found.push(...textualNumbers(branch, at)));
  }
  for (const [name, child] of Object.entries((s.properties as Record<string, unknown>) ?? {})) found.push(...textualNumbers(child, `${at}.${name}`));
  if (s.items) found.push(...textualNumbers(s.items, `${at}[]`));
  if (s.additionalProperties && typeof s.additionalProperties === "object") found.push(...textualNumbers(s.additionalProperties, `${at}.*`));
  return found;
}

let shop: Awaited<ReturnType<typeof buildAllInOne>>;
beforeAll(async () => {
  shop = await buildAllInOne(loadConfig({ NODE_ENV: "test", DATA_DIR: tempDir("json-integers-"), LOG_LEVEL: "silent", SEED_CATALOG: "false" }));
}, 30_000);
afterAll(async () => {
  await shop?.stop();
});

test("the check finds Elysia's string-or-integer, nested or not, and passes a JSON integer", () => {
  expect(textualNumbers(t.Object({ lines: t.Array(t.Object({ quantity: t.Integer() })) }))).toEqual(["body.lines[].quantity (decoded by a transform)", "body.lines[].quantity (a string of format integer)"]);
  expect(textualNumbers(t.Object({ n: t.Numeric() })).length).toBeGreaterThan(0);
  expect(textualNumbers(t.Object({ n: JsonInteger({ minimum: 1 }), x: t.Optional(t.Union([JsonInteger(), t.Null()])) }))).toEqual([]);
});

test("no route's JSON body takes a number as a string", () => {
  const routes = (shop.app as unknown as { routes: Array<{ method: string; path: string; hooks: { body?: TSchema } }> }).routes;
  const withBody = routes.filter((r) => r.hooks.body);
  expect(withBody.map((r) => `${r.method} ${r.path}`)).toContain("POST /api/cart/items"); // the walk sees the routes
  const problems = withBody.flatMap((r) => textualNumbers(r.hooks.body).map((p) => `${r.method} ${r.path}: ${p}`));
  expect(problems).toEqual([]);
});
