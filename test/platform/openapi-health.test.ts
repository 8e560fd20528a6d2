import { afterAll, beforeAll, expect, test } from "bun:test";
import { buildAllInOne } from "../../src/entrypoints/all-in-one";
import { loadConfig } from "../../src/platform/config";
import { tempDir } from "../support/processes";

// In-process checks with app.handle: no port needed.
let shop: Awaited<ReturnType<typeof buildAllInOne>>;
beforeAll(async () => {
  shop = await buildAllInOne(loadConfig({ NODE_ENV: "test", DATA_DIR: tempDir(), LOG_LEVEL: "silent" }));
});
afterAll(async () => {
  await shop.stop();
});

const get = (path: string) => shop.app.handle(new Request(`http://shop.local${path}`));

test("health: live always, ready when every module's database (and the identity one) answers", async () => {
  expect(await (await get("/health/live")).json()).toEqual({ status: "ok" });
  const ready = await get("/health/ready");
  expect(ready.status).toBe(200);
  expect((await ready.json()).modules).toEqual({ catalog: "ready", payment: "ready", cart: "ready", order: "ready", identity: "ready" });
});

test("every public route appears in the OpenAPI document", async () => {
  const doc = await (await get("/openapi/json")).json();
  const documented = new Set<string>();
  for (const [path, ops] of Object.entries(doc.paths as Record<string, Record<string, unknown>>)) {
    for (const method of Object.keys(ops)) documented.add(`${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ":$1").replace(/\/$/, "")}`);
  }
  const routes = shop.app.routes
    .filter((r) => !r.path.startsWith("/internal/") && !r.path.startsWith("/openapi") && r.path !== "/*" && r.method !== "HEAD" && r.path !== "/")
    .map((r) => `${r.method} ${r.path.replace(/\/$/, "")}`);
  expect(routes.length).toBeGreaterThan(20);
  const missing = routes.filter((r) => !documented.has(r));
  expect(missing).toEqual([]);
  expect(doc.components.securitySchemes.bearerAuth.scheme).toBe("bearer");
});

test("the interactive API page is served", async () => {
  const page = await get("/openapi");
  expect(page.status).toBe(200);
  expect(page.headers.get("content-type")).toContain("text/html");
});

test("responses carry a request id, and a sane incoming one is kept", async () => {
  const res = await shop.app.handle(new Request("http://shop.local/health/live", { headers: { "x-request-id": "abc-123" } }));
  expect(res.headers.get("x-request-id")).toBe("abc-123");
  expect((await get("/health/live")).headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
});

test("unknown routes get the stable error shape", async () => {
  const res = await get("/api/nothing-here");
  expect(res.status).toBe(404);
  expect(await res.json()).toEqual({ error: { code: "ROUTE_NOT_FOUND", message: "No route for GET /api/nothing-here" } });
});
