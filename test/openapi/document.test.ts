import { afterAll, beforeAll, expect, test } from "bun:test";
import { startEntrypoint, type ServerProcess } from "../support/processes";

// What the all-in-one document says, checked by reading it: JSON bodies only, integers as
// integers, every operation's refusals in the one Error shape. (The split mode's merged document
// is the same with a 503 on every forwarded operation: test/split/gateway-openapi.test.ts; both
// are fuzzed by test/openapi/schemathesis.test.ts.) And a method a path does not serve is a 405.

let server: ServerProcess;
let doc: any;
beforeAll(async () => {
  server = await startEntrypoint("all.ts", { SEED_CATALOG: "false" }, { readyTimeoutMs: 60_000 });
  doc = await (await fetch(`${server.url}/openapi/json`)).json();
});
afterAll(async () => {
  await server?.stop();
});

const operations = () =>
  Object.entries(doc.paths as Record<string, Record<string, any>>).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({ name: `${method.toUpperCase()} ${path}`, op })),
  );

/** Every sub-schema of a value, with where it is. */
function* walk(value: unknown, at = "#"): Generator<[string, Record<string, any>]> {
  if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${at}/${i}`));
  if (!value || typeof value !== "object") return;
  yield [at, value as Record<string, any>];
  for (const [key, child] of Object.entries(value)) yield* walk(child, `${at}/${key}`);
}

test("request bodies are JSON only (no form or multipart), and required", () => {
  const bodies = operations().filter(({ op }) => op.requestBody);
  expect(bodies.length).toBeGreaterThan(8);
  for (const { name, op } of bodies) {
    expect([name, Object.keys(op.requestBody.content)]).toEqual([name, ["application/json"]]);
    expect([name, op.requestBody.required]).toEqual([name, true]);
  }
});

test("integers are integers: no string-or-integer anyOf, query and path integers typed integer", () => {
  for (const [at, node] of walk(doc)) {
    const stringy = Array.isArray(node.anyOf) && node.anyOf.some((b: any) => b?.type === "string" && (b.format === "integer" || b.format === "numeric"));
    expect([at, stringy]).toEqual([at, false]);
  }
  const limit = doc.paths["/api/products"].get.parameters.find((p: any) => p.name === "limit");
  expect(limit.schema).toMatchObject({ type: "integer", minimum: 1, maximum: 100 });
});

test("every operation documents its refusals in the one Error shape, defined once", () => {
  expect(doc.components.schemas.Error.properties.error.required).toEqual(["code", "message"]);
  for (const { name, op } of operations()) {
    const statuses = Object.keys(op.responses).map(Number);
    expect([name, statuses.some((s) => s >= 200 && s < 300)]).toEqual([name, true]);
    expect([name, statuses.includes(400)]).toEqual([name, true]); // an unreadable path or query
    if (op.requestBody) expect([name, [400, 413, 415, 422].every((s) => statuses.includes(s))]).toEqual([name, true]);
    if (op.security) expect([name, statuses.includes(401)]).toEqual([name, true]);
    // Readiness answers 503 with its own report (which module is not ready), not an error.
    for (const status of statuses.filter((s) => s >= 400 && !(name === "GET /health/ready" && s === 503))) {
      const schema = op.responses[status].content?.["application/json"]?.schema;
      // Either the shared shape, or (a failed checkout) its order with the error: never an inline error object.
      const refs = JSON.stringify(schema);
      expect([name, status, refs.includes("#/components/schemas/Error") || refs.includes('"error"')]).toEqual([name, status, true]);
    }
  }
  // The error object is written once: no operation spells out code + message itself but the order-with-error union.
  const inline = [...walk(doc.paths)].filter(([, n]) => n.properties?.code && n.properties?.message);
  expect(inline.map(([at]) => at).filter((at) => !at.startsWith("#//api/orders/post/responses/"))).toEqual([]);
  // Operators-only routes say so.
  expect(Object.keys(doc.paths["/api/orders/stats"].get.responses)).toContain("403");
  expect(doc.paths["/api/orders"].post.responses["429"].headers["Retry-After"]).toBeDefined();
});

test("no form or anyOf leftovers in the paths, and no trailing-slash twins", () => {
  const paths = Object.keys(doc.paths);
  for (const path of paths) expect(path === "/" || !path.endsWith("/")).toBe(true);
  expect(JSON.stringify(doc.paths)).not.toContain("multipart/form-data");
  expect(JSON.stringify(doc.paths)).not.toContain("application/x-www-form-urlencoded");
});

test("a method a path does not serve is a 405 with Allow; OPTIONS lists them; an unknown path stays a 404", async () => {
  for (const [method, path, allowed] of [
    ["TRACE", "/api/products", ["GET", "HEAD", "OPTIONS", "POST"]],
    ["PUT", "/api/products/some-id", ["DELETE", "GET", "HEAD", "OPTIONS", "PATCH"]],
    ["DELETE", "/api/orders/stats", ["GET", "HEAD", "OPTIONS"]],
    ["GET", "/api/auth/token", ["OPTIONS", "POST"]],
    ["POST", "/health/live", ["GET", "HEAD", "OPTIONS"]],
  ] as const) {
    const res = await fetch(`${server.url}${path}`, { method });
    expect([method, path, res.status]).toEqual([method, path, 405]);
    expect(res.headers.get("allow")?.split(", ")).toEqual([...allowed]);
    // Bun's fetch drops a TRACE answer's body (curl shows it): the code is checked on the others.
    if (method !== "TRACE") expect((await res.json()).error.code).toBe("METHOD_NOT_ALLOWED");
  }
  const options = await fetch(`${server.url}/api/products`, { method: "OPTIONS" });
  expect(options.status).toBe(204);
  expect(options.headers.get("allow")).toBe("GET, HEAD, OPTIONS, POST");
  const missing = await fetch(`${server.url}/api/nothing-here`, { method: "TRACE" });
  expect(missing.status).toBe(404);
});

test("a body that is not JSON is a 415 on every route that takes one", async () => {
  for (const { name } of operations().filter(({ op }) => op.requestBody)) {
    const [method, path] = name.split(" ") as [string, string];
    const res = await fetch(`${server.url}${path.replace(/\{[^}]+\}/g, "x")}`, {
      method,
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "a=1",
    });
    // The body is parsed before anything else looks at the request.
    expect([name, res.status]).toEqual([name, 415]);
  }
});
