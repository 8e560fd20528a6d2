import { afterAll, beforeAll, expect, test } from "bun:test";
import { buildAllInOne } from "../../src/entrypoints/all-in-one";
import { loadConfig } from "../../src/platform/config";
import { freePort, startEntrypoint, tempDir, type ServerProcess } from "../support/processes";
import { SplitShop } from "../support/split-shop";

// The gateway's /openapi/json is the whole shop's API, merged from the services' documents: the
// same paths and operations as the all-in-one document (it used to list only its own 5 paths).
let split: SplitShop;
let allInOne: Awaited<ReturnType<typeof buildAllInOne>>;
const extra: ServerProcess[] = [];
beforeAll(async () => {
  split = await new SplitShop({ SEED_CATALOG: "false" }).start();
  allInOne = await buildAllInOne(loadConfig({ NODE_ENV: "test", DATA_DIR: tempDir(), LOG_LEVEL: "silent" }));
}, 120_000);
afterAll(async () => {
  for (const p of extra) await p.stop();
  await split?.stop();
  await allInOne?.stop();
}, 60_000);

/** "METHOD /path operationId" for every operation of a document. */
const operations = (doc: any) =>
  Object.entries(doc.paths as Record<string, Record<string, any>>)
    .flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => `${method.toUpperCase()} ${path} ${op.operationId}`))
    .sort();

test("the gateway's document has the same paths and operations as the all-in-one document", async () => {
  const expected = await (await allInOne.app.handle(new Request("http://shop.local/openapi/json"))).json();
  const res = await fetch(`${split.url}/openapi/json`);
  expect(res.status).toBe(200);
  const merged = await res.json();
  expect(operations(expected).length).toBeGreaterThan(20);
  expect(operations(merged)).toEqual(operations(expected));
  expect(merged.components.securitySchemes.bearerAuth.scheme).toBe("bearer");
  // Bodies and responses come from the services' own documents, so they match too, but for the 503
  // that split mode adds (a service, or one it needs, can be down).
  const { 503: unavailable, ...mergedResponses } = merged.paths["/api/orders"].post.responses;
  expect(unavailable.content["application/json"].schema).toEqual({ $ref: "#/components/schemas/Error" });
  expect({ ...merged.paths["/api/orders"].post, responses: mergedResponses }).toEqual(expected.paths["/api/orders"].post);
  expect(expected.paths["/api/orders"].post.responses[503]).toBeUndefined();
}, 60_000);

test("the gateway's interactive API page reads the merged document, not the gateway's own", async () => {
  // The page's configuration is the script it loads (no inline script under the CSP).
  const page = await (await fetch(`${split.url}/openapi`)).text();
  expect(page).toContain("/openapi/assets/start.js");
  const start = await (await fetch(`${split.url}/openapi/assets/start.js`)).text();
  expect(start).toContain('url: "/openapi/json"');
  expect(start).not.toContain("gateway.json");
});

test("a service's document is kept after it was fetched: the whole document is served while that service restarts", async () => {
  expect((await fetch(`${split.url}/openapi/json`)).status).toBe(200);
  await split.stopOne("order");
  try {
    const res = await fetch(`${split.url}/openapi/json`);
    expect(res.status).toBe(200);
    expect(Object.keys((await res.json()).paths)).toContain("/api/orders/{id}/cancel");
  } finally {
    await split.startOne("order");
  }
}, 60_000);

test("a service that was never reached is a 503 naming it, not a document missing its routes", async () => {
  const gateway = await startEntrypoint(
    "gateway.ts",
    {
      CATALOG_URL: `http://127.0.0.1:${freePort()}`,
      CART_URL: `http://127.0.0.1:${split.ports.cart}`,
      ORDER_URL: `http://127.0.0.1:${split.ports.order}`,
      PAYMENT_URL: `http://127.0.0.1:${split.ports.payment}`,
    },
    { readyPath: "/health/live", readyTimeoutMs: 30_000 },
  );
  extra.push(gateway);
  const res = await fetch(`${gateway.url}/openapi/json`);
  expect(res.status).toBe(503);
  const { error } = (await res.json()) as any;
  expect(error.code).toBe("DEPENDENCY_UNAVAILABLE");
  expect(error.details.dependency).toBe("catalog");
  expect(error.message).toStartWith("The API document is incomplete: catalog's document could not be fetched");
}, 60_000);

test("through the gateway, a method a path does not serve is the service's 405 with Allow, not a 404", async () => {
  for (const [method, path, allow] of [
    ["PUT", "/api/products/some-id", "DELETE, GET, HEAD, OPTIONS, PATCH"],
    ["DELETE", "/api/orders/stats", "GET, HEAD, OPTIONS"],
    ["GET", "/api/auth/token", "OPTIONS, POST"],
    ["TRACE", "/api/cart", "DELETE, GET, HEAD, OPTIONS"],
  ] as const) {
    const res = await fetch(`${split.url}${path}`, { method });
    expect([method, path, res.status, res.headers.get("allow")]).toEqual([method, path, 405, allow]);
  }
  expect((await fetch(`${split.url}/api/nothing-here`, { method: "PUT" })).status).toBe(404);
});
