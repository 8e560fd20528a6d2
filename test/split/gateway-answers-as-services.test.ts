// Split mode answers a bad request as all-in-one does. The gateway forwards bodies unread: the
// service that owns a route judges its body. (Before: the gateway parsed every body first, so a PUT
// with malformed JSON to a route that takes no PUT was a 400 MALFORMED_BODY in split mode and a 405
// in all-in-one, and a CORS preflight with a body a 400 or 415 instead of a 204.) And TRACE, whose
// answer Bun's fetch passes on without its body, is the service's 405 in full (before: an empty one).
import { expect, test } from "bun:test";
import { Api, DEMO } from "../support/http-client";
import { rawExchange } from "../support/raw-http";
import { shopsInBothModes } from "../support/shop-modes";

const shops = shopsInBothModes({ SEED_CATALOG: "false" });

const PATHS = ["/api/products", "/api/products/0190aaaa-0000-7000-8000-000000000001", "/api/cart", "/api/cart/items", "/api/orders", "/api/orders/stats", "/api/payments"];
const BODIES: Array<[contentType: string, body: string]> = [
  ["application/json", "{"],
  ["application/json", "[".repeat(40) + "]".repeat(40)],
  ["text/plain", '{"quantity":1}'],
  ["application/x-www-form-urlencoded", "a=1"],
  ["application/json", '{"unknown":true}'],
];

/** Status and error code of each request, by request. */
async function answers(base: string): Promise<Record<string, string>> {
  const auth = `Bearer ${(await new Api(base).post("/api/auth/token", { username: "alice", password: DEMO.alice })).body.token}`;
  const seen: Record<string, string> = {};
  for (const path of PATHS) {
    for (const method of ["POST", "PUT", "PATCH", "DELETE", "OPTIONS"]) {
      for (const [contentType, body] of BODIES) {
        const res = await fetch(base + path, { method, headers: { "content-type": contentType, authorization: auth, "idempotency-key": "same-for-both" }, body, signal: AbortSignal.timeout(10_000) });
        const text = await res.text();
        const code = text.startsWith("{") ? ((JSON.parse(text) as { error?: { code?: string } }).error?.code ?? "") : "";
        seen[`${method} ${path} ${contentType} ${body.slice(0, 12)}`] = `${res.status} ${code}`.trim();
      }
    }
  }
  return seen;
}

test("every route answers a bad body, a method it does not take and a preflight the same in split mode as in all-in-one", async () => {
  const [one, many] = [await answers(shops.allInOne.url), await answers(shops.split.url)];
  expect(Object.keys(one)).toHaveLength(PATHS.length * 5 * BODIES.length);
  expect(many).toEqual(one);
  // The cases that told the modes apart: the method, or the preflight, comes before the body.
  expect(many[`PUT /api/products application/json {`]).toBe("405 METHOD_NOT_ALLOWED");
  expect(many[`OPTIONS /api/cart/items text/plain {"quantity":`]).toBe("204");
  expect(many[`POST /api/cart/items application/json {`]).toBe("400 MALFORMED_BODY");
}, 60_000);

test("TRACE is a 405 that says what the path takes, in the error shape, in both modes; on an unknown path a 404", async () => {
  const trace = async (base: string, path: string) => {
    const answer = await rawExchange(Number(new URL(base).port), `TRACE ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
    const allow = /\r\nallow: ([^\r]*)/i.exec(answer.text)?.[1];
    return { status: answer.status, allow, body: answer.body ? JSON.parse(answer.body) : undefined };
  };
  for (const path of ["/api/products", "/api/cart/items", "/api/orders/stats", "/api/payments"]) {
    const [one, many] = [await trace(shops.allInOne.url, path), await trace(shops.split.url, path)];
    expect(one.status).toBe(405);
    expect(one.body.error.code).toBe("METHOD_NOT_ALLOWED");
    expect(many).toEqual(one);
  }
  const [one, many] = [await trace(shops.allInOne.url, "/api/orders/x/y/z"), await trace(shops.split.url, "/api/orders/x/y/z")];
  expect({ status: one.status, code: one.body?.error?.code }).toEqual({ status: 404, code: "ROUTE_NOT_FOUND" });
  expect(many).toEqual(one);
}, 30_000);
