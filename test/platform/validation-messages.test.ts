// A refused request's 422 names the field and what it accepts, in words a client can act on.
// - A query parameter that must be an integer in a range: whether the text is not an integer or
//   one out of range. Elysia checks the range only after turning the text into a number, and its
//   refusal then said neither where nor what ("Invalid property: property: ..."). Only decimal
//   digits are an integer: "0x10", "1e1" and "+5" were read as 16, 10 and 5.
// - A field that takes one of a list of values: the list ("should be one of: 'string', 'string'").
// - A required field that is absent: that it is missing (a sign-in without a username was told
//   the username "must be 1 to 80 characters", as if one had been sent).
// - A JSON integer out of its range or not an integer: its range ("Expected integer to be less or
//   equal to 100" said neither the lower bound nor that 1.5 and "5" are refused for the same rule).
import { expect, test } from "bun:test";
import { t } from "elysia";
import { CleanText } from "../../src/platform/http/clean-text";
import { createHttpApp } from "../../src/platform/http/create-app";
import { PageLimit } from "../../src/platform/http/cursor";
import { JsonInteger } from "../../src/platform/http/json-integer";
import { LiteralUnion } from "../../src/platform/http/literal-union";
import { createLogger } from "../../src/platform/logger";

const app = createHttpApp({ title: "query integers", log: createLogger("silent"), maxBodyBytes: 1024, readiness: [] }).get(
  "/things",
  ({ query }) => ({ limit: query.limit, page: query.page }),
  { query: t.Object({ limit: t.Optional(PageLimit), page: t.Optional(t.Integer({ minimum: 0, maximum: 9 })) }) },
).post("/moves", ({ body }) => body, {
  body: t.Object({ to: LiteralUnion(["SHIPPED", "DELIVERED"] as const), speed: t.Optional(t.Union([t.Literal("slow"), t.Literal("fast")])) }),
  query: t.Object({ sort: t.Optional(LiteralUnion(["newest", "oldest"] as const)) }),
}).post("/names", ({ body }) => body, { body: t.Object({ name: CleanText({ minLength: 1, maxLength: 20 }) }) })
  .post("/lines", ({ body }) => body, { body: t.Object({ quantity: JsonInteger({ minimum: 1, maximum: 100 }), lines: t.Optional(t.Array(t.Object({ at: JsonInteger({ minimum: 0 }) }))) }) });

const get = async (query: string) => {
  const res = await app.handle(new Request(`http://shop.local/things?${query}`));
  return { status: res.status, body: (await res.json()) as any };
};

/** A JSON body posted to `path` (with its query, if any). */
const post = async (path: string, body: unknown) => {
  const res = await app.handle(new Request(`http://shop.local${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }));
  return { status: res.status, body: (await res.json()) as any };
};

test("an integer query parameter out of its range, or not an integer, is a 422 naming it in the query", async () => {
  const cases: Array<[string, string]> = [
    ["limit=0", "limit"],
    ["limit=-1", "limit"],
    ["limit=1000", "limit"],
    ["limit=abc", "limit"],
    ["limit=1.5", "limit"],
    ["limit=1e309", "limit"],
    ["limit=0x10", "limit"],
    ["limit=1e1", "limit"],
    ["limit=%2B5", "limit"],
    ["limit=0b11", "limit"],
    ["limit=%205", "limit"],
    ["limit=5%20", "limit"],
    ["limit=", "limit"],
    ["page=10", "page"],
    ["limit=5&page=-3", "page"],
    ["page=1&limit=101", "limit"],
  ];
  for (const [query, field] of cases) {
    const { status, body } = await get(query);
    expect({ query, status }).toEqual({ query, status: 422 });
    expect({ query, in: body.error.details.in, field: body.error.details.problems[0].field }).toEqual({ query, in: "query", field });
    expect(body.error.message).toStartWith(`Invalid query: ${field}: `);
    expect(body.error.message).toMatch(field === "limit" ? /an integer from 1 to 100/ : /an integer from 0 to 9/);
  }
});

test("integers in range still arrive as numbers, with the default when absent", async () => {
  expect(await get("limit=100&page=0")).toEqual({ status: 200, body: { limit: 100, page: 0 } });
  expect(await get("")).toEqual({ status: 200, body: { limit: 20 } });
  expect(await get("limit=05&page=3")).toEqual({ status: 200, body: { limit: 5, page: 3 } });
});

test("a field that takes one of a list of values is refused with the list", async () => {
  const cases: Array<[string, unknown, string, string, string]> = [
    ["", { to: "REFUNDED" }, "body", "to", "must be one of: SHIPPED, DELIVERED"],
    ["", { to: 3 }, "body", "to", "must be one of: SHIPPED, DELIVERED"],
    ["", { to: "SHIPPED", speed: "warp" }, "body", "speed", "must be one of: slow, fast"],
    ["?sort=total", { to: "SHIPPED" }, "query", "sort", "must be one of: newest, oldest"],
    ["", {}, "body", "to", "is missing; it must be one of: SHIPPED, DELIVERED"],
  ];
  for (const [query, body, where, field, message] of cases) {
    const answer = await post(`/moves${query}`, body);
    expect({ query, body, status: answer.status, error: answer.body.error.message }).toEqual({ query, body, status: 422, error: `Invalid ${where}: ${field}: ${message}` });
  }
  expect(await post("/moves?sort=oldest", { to: "DELIVERED", speed: "fast" })).toEqual({ status: 200, body: { to: "DELIVERED", speed: "fast" } });
});

test("a required field that is absent is said to be missing; one sent empty or null is told the rule", async () => {
  const name = async (body: unknown) => {
    const { status, body: answer } = await post("/names", body);
    return { status, error: answer.error?.message };
  };
  const rule = "must be 1 to 20 characters, with no control characters and no lone surrogates";
  expect(await name({})).toEqual({ status: 422, error: `Invalid body: name: is missing; it ${rule}` });
  expect(await name({ name: "" })).toEqual({ status: 422, error: `Invalid body: name: ${rule}` });
  expect(await name({ name: null })).toEqual({ status: 422, error: `Invalid body: name: ${rule}` });
  expect(await name({ name: "Ada" })).toEqual({ status: 200, error: undefined });
});

test("a JSON integer out of its range, a fraction, a string or absent is refused with its range", async () => {
  const cases: Array<[unknown, string, string]> = [
    [{ quantity: 0 }, "quantity", "must be an integer from 1 to 100"],
    [{ quantity: 1e9 }, "quantity", "must be an integer from 1 to 100"],
    [{ quantity: 1.5 }, "quantity", "must be an integer from 1 to 100"],
    [{ quantity: "5" }, "quantity", "must be an integer from 1 to 100"],
    [{}, "quantity", "is missing; it must be an integer from 1 to 100"],
    [{ quantity: 1, lines: [{ at: -1 }] }, "lines.0.at", "must be an integer of at least 0"],
  ];
  for (const [body, field, message] of cases) {
    const answer = await post("/lines", body);
    expect({ body, status: answer.status, error: answer.body.error.message }).toEqual({ body, status: 422, error: `Invalid body: ${field}: ${message}` });
  }
  expect(await post("/lines", { quantity: 100, lines: [{ at: 0 }] })).toEqual({ status: 200, body: { quantity: 100, lines: [{ at: 0 }] } });
});
