// Hostile bytes on the wire, sent with raw sockets to real processes of both modes: the all-in-one
// shop, and in split mode the gateway and a module service. Whatever arrives, the process answers
// the next request; what the shell cannot route is a 400 in the error shape, before any route runs.
// LOG_LEVEL=info on purpose: the request log line is where an HTTP/1.0 request without Host used
// to end the process (`new URL(request.url)` after the response).
import { describe, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "../support/processes";
import { rawExchange, rawGet, TLS_CLIENT_HELLO, type RawAnswer } from "../support/raw-http";
import { shopsInBothModes } from "../support/shop-modes";

const webDist = tempDir("shop-web-");
mkdirSync(join(webDist, "assets"));
writeFileSync(join(webDist, "index.html"), "<!doctype html><title>Orders</title><div id=root></div>");
writeFileSync(join(webDist, "assets", "app.js"), "console.log('dashboard')");

const env = { LOG_LEVEL: "info", WEB_DIST: webDist, SEED_CATALOG: "false" };
const shops = shopsInBothModes(env);

interface Target {
  name: string;
  port: () => number;
  output: () => string;
  exitCode: () => number | null;
}
const targets: Target[] = [
  { name: "all-in-one", port: () => shops.allInOne.port, output: () => shops.allInOne.output(), exitCode: () => shops.allInOne.proc.exitCode },
  { name: "split gateway", port: () => shops.split.ports.gateway, output: () => shops.split.output("gateway"), exitCode: () => shops.split.procs.get("gateway")!.proc.exitCode },
  { name: "split catalog service", port: () => shops.split.ports.catalog, output: () => shops.split.output("catalog"), exitCode: () => shops.split.procs.get("catalog")!.proc.exitCode },
];

/** The process is up and answers an ordinary request. */
async function stillServes(target: Target, after: string) {
  const res = await fetch(`http://127.0.0.1:${target.port()}/health/live`, { signal: AbortSignal.timeout(5_000) }).catch((e: Error) => e);
  if (!(res instanceof Response) || res.status !== 200) {
    throw new Error(`${target.name} stopped answering after ${after} (exit ${target.exitCode()}): ${res instanceof Response ? res.status : res.message}\n${target.output().slice(-3000)}`);
  }
}

function expectErrorShape(answer: RawAnswer, status: number, code: string, what: string) {
  if (answer.status !== status) throw new Error(`${what}: expected ${status}, got ${answer.status}: ${answer.text.slice(0, 400)}`);
  let body: { error?: { code?: string; message?: string } } | undefined;
  try {
    body = JSON.parse(answer.body);
  } catch {
    throw new Error(`${what}: the ${status} is not in the error shape: ${answer.text.slice(0, 400)}`);
  }
  expect(body?.error?.code).toBe(code);
  expect(body?.error?.message).toBeString();
}

describe.each(targets)("$name", (target) => {
  test("a request without a usable Host is a 400 in the error shape, on every kind of route", async () => {
    const requests = {
      "HTTP/1.0 without Host": (path: string) => rawGet(path, null, "1.0"),
      "an empty Host": (path: string) => rawGet(path, ""),
      "a Host that is not a host": (path: string) => rawGet(path, "%zz"),
      "a Host with a port out of range": (path: string) => rawGet(path, "127.0.0.1:99999x"),
    };
    for (const path of ["/health/live", "/api/products", "/api/cart", "/nothing-here", "/assets/app.js", "/openapi", "/metrics"]) {
      for (const [shape, request] of Object.entries(requests)) {
        const what = `${shape} on ${path}`;
        expectErrorShape(await rawExchange(target.port(), request(path)), 400, "BAD_HOST", what);
        await stillServes(target, what);
      }
      // HTTP/1.1 requires a Host: Bun's parser answers 400 itself, before any of our code.
      expect((await rawExchange(target.port(), rawGet(path, null))).status).toBe(400);
      await stillServes(target, `HTTP/1.1 without Host on ${path}`);
    }
    expect(target.output()).not.toContain("Invalid URL");
  }, 60_000);

  test("bytes that are not HTTP, or break it, never end the process", async () => {
    const hostile: Record<string, string | Uint8Array> = {
      "a TLS ClientHello on the plain port": TLS_CLIENT_HELLO,
      "a bare CRLF CRLF": "\r\n\r\n",
      "a garbage method": "FOO%% /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
      "an unknown method": "PROPFIND /api/products HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
      "a NUL byte in the request line": "GET /a\u0000b HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
      "an HTTP/2 preface": "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
      "a 200 KB header": `GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${"a".repeat(200_000)}\r\n\r\n`,
      "a header with a bare CR": "GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nX-A: a\rb\r\n\r\n",
      "a header with a bare LF": "GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nX-A: a\nb\r\n\r\n",
      "1,000 headers": `GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n${Array.from({ length: 1000 }, (_, i) => `X-${i}: v\r\n`).join("")}\r\n`,
      "a 64 KB request line": `GET /${"a".repeat(65_536)} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`,
      "a body shorter than its Content-Length": "POST /api/auth/token HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"a\":",
      "Content-Length and Transfer-Encoding together": "POST /api/auth/token HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
      "half a request line": "GET /heal",
      "raw bytes over 0x7f in the path": Buffer.from("GET /caf\xe9\xff HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", "latin1"),
    };
    for (const [what, payload] of Object.entries(hostile)) {
      const answer = await rawExchange(target.port(), payload, { timeoutMs: 1_500 });
      // Whatever Bun's parser or the shell answered, it was no crash of ours.
      if (answer.status !== undefined && answer.status >= 500 && answer.status !== 505) {
        throw new Error(`${what}: answered ${answer.status}: ${answer.text.slice(0, 300)}`);
      }
      await stillServes(target, what);
    }
  }, 60_000);

  test("an absolute URI in the request line, and a one-letter Host, reach the right route", async () => {
    const absolute = await rawExchange(target.port(), "GET http://elsewhere.example/api/products?limit=1 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    expect(absolute.status).toBe(200);
    expect(JSON.parse(absolute.body)).toHaveProperty("items");
    // Elysia's router skipped 11 characters of the URL ("http://a.bc") to find the path: the
    // gateway answered its own ROUTE_NOT_FOUND instead of proxying to the catalog.
    for (const host of ["a", "ab", "a:1"]) {
      const short = await rawExchange(target.port(), rawGet("/api/products/0190aaaa-0000-7000-8000-000000000000", host));
      expect(short.status).toBe(404);
      expect(JSON.parse(short.body).error.code).toBe("NOT_FOUND");
    }
  }, 30_000);

  test("pipelined requests are all answered, in order", async () => {
    const one = "GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    const answer = await rawExchange(target.port(), one.repeat(49) + rawGet("/health/live"));
    expect(answer.text.match(/HTTP\/1\.1 200 OK/g)?.length).toBe(50);
    await stillServes(target, "50 pipelined requests");
  }, 30_000);

  test("malformed paths and queries are 400s in the error shape, before routing, on every route", async () => {
    const paths = [
      "/%",
      "/%E0%A4%A",
      "/%c0%ae%c0%ae/x",
      "/health/%",
      "/%00",
      "/health/live%00",
      "/api/products/%",
      "/api/products/%00",
      "/api/cart/items/%E0%A4%A",
      "/api/orders/%c0%af",
      "/openapi/%",
      "/assets/%7F.js",
      "/metrics%0a",
      "/%ED%A0%80", // an encoded lone surrogate
      "/%F4%90%80%80", // past U+10FFFF
    ];
    for (const path of paths) {
      expectErrorShape(await rawExchange(target.port(), rawGet(path)), 400, "INVALID_PATH", path);
    }
    for (const query of ["q=%", "q=%00", "q=%E0%A4%A", "q=%c0%ae", "q=a%0db"]) {
      expectErrorShape(await rawExchange(target.port(), rawGet(`/api/products?${query}`)), 400, "INVALID_QUERY", query);
    }
    // Well-formed encodings are still served.
    const fine = await rawExchange(target.port(), rawGet("/api/products?q=caf%C3%A9%20cr%C3%A8me&limit=1"));
    expect(fine.status).toBe(200);
    await stillServes(target, "malformed paths");
  }, 60_000);
});
