// Deeply nested JSON against real processes of both modes: refused fast with 400 JSON_TOO_DEEP
// before JSON.parse and any schema, while the health route keeps answering. (Before: 20,000 nested
// arrays in 40 KB to /api/auth/token took ~10 s and 2.5 GB, 60 KB ended in a 500.)
import { describe, expect, test } from "bun:test";
import { MAX_JSON_DEPTH } from "../../src/platform/http/json-body";
import { shopsInBothModes } from "../support/shop-modes";

const shops = shopsInBothModes({ SEED_CATALOG: "false" });

const nestedArrays = (bytes: number) => "[".repeat(bytes / 2) + "]".repeat(bytes / 2);
const post = (url: string, body: string, contentType = "application/json") =>
  fetch(url, { method: "POST", headers: { "content-type": contentType }, body, signal: AbortSignal.timeout(30_000) });

const targets = [
  { name: "all-in-one", url: () => shops.allInOne.url, paths: ["/api/auth/token", "/api/cart/items", "/api/products"] },
  { name: "split gateway", url: () => shops.split.url, paths: ["/api/auth/token", "/api/cart/items", "/api/orders"] },
  { name: "split cart service", url: () => `http://127.0.0.1:${shops.split.ports.cart}`, paths: ["/api/cart/items"] },
];

describe.each(targets)("$name", ({ url, paths }) => {
  test("40, 60 and 64 KB of nested arrays are a fast 400 JSON_TOO_DEEP on every JSON route", async () => {
    for (const path of paths) {
      for (const bytes of [40_000, 60_000, 65_536]) {
        const started = performance.now();
        const res = await post(url() + path, nestedArrays(bytes));
        const ms = performance.now() - started;
        const body = await res.json();
        expect({ path, bytes, status: res.status, code: body.error?.code }).toEqual({ path, bytes, status: 400, code: "JSON_TOO_DEEP" });
        expect(body.error.message).toContain(`deeper than ${MAX_JSON_DEPTH} levels`);
        expect(ms).toBeLessThan(2_000); // ~5 ms here; the old code took seconds
      }
    }
  }, 60_000);

  test("the bound is exactly the documented depth: 32 levels parse (and meet the schema), 33 do not", async () => {
    const at = (depth: number) => JSON.stringify({ username: "alice", password: "x".repeat(8), extra: JSON.parse(nestedArrays(2 * (depth - 1))) });
    const ok = await post(`${url()}${paths[0]}`, at(MAX_JSON_DEPTH));
    expect(ok.status).not.toBe(400); // parsed; the schema or the route decides (401, 422)
    const deep = await post(`${url()}${paths[0]}`, at(MAX_JSON_DEPTH + 1));
    expect(deep.status).toBe(400);
    expect((await deep.json()).error.code).toBe("JSON_TOO_DEEP");
  }, 30_000);

  test("the health route stays responsive while deep bodies arrive", async () => {
    const body = nestedArrays(65_536);
    let slowestMs = 0;
    let polling = true;
    const poller = (async () => {
      for (let i = 0; i < 200 && polling; i++) {
        const started = performance.now();
        const res = await fetch(`${url()}/health/live`, { signal: AbortSignal.timeout(10_000) });
        expect(res.status).toBe(200);
        slowestMs = Math.max(slowestMs, performance.now() - started);
        await Bun.sleep(10);
      }
    })();
    const statuses = await Promise.all(Array.from({ length: 20 }, () => post(url() + paths[0], body).then((r) => r.status)));
    polling = false;
    await poller;
    expect(statuses.every((s) => s === 400)).toBe(true);
    expect(slowestMs).toBeLessThan(1_000);
  }, 60_000);

  test("bodies are JSON: a form or multipart body is a 415 (no other parser runs)", async () => {
    const form = await post(url() + paths[0], "username=alice&password=alice-password", "application/x-www-form-urlencoded");
    expect(form.status).toBe(415);
    expect((await form.json()).error.code).toBe("UNSUPPORTED_MEDIA_TYPE");
    const multipart = new FormData();
    multipart.set("username", nestedArrays(20_000));
    const res = await fetch(url() + paths[0], { method: "POST", body: multipart, signal: AbortSignal.timeout(30_000) });
    expect(res.status).toBe(415);
    expect((await res.json()).error.code).toBe("UNSUPPORTED_MEDIA_TYPE");
  }, 30_000);
});
