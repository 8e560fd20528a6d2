// Several replicas behind one *_URL: the gateway's reverse proxy and the service clients spread
// calls over them, skip one that is down (circuit breaker), and send a call again to another
// replica only when that is harmless. Real loopback servers; the proxy is the gateway's own plugin.
import { afterEach, describe, expect, test } from "bun:test";
import { Elysia } from "elysia";
import type { Server } from "bun";
import { TokenService } from "../../src/platform/auth/tokens";
import { loadConfig } from "../../src/platform/config";
import { reverseProxy } from "../../src/platform/http/reverse-proxy";
import { ServiceClient } from "../../src/platform/http/service-client";
import { UpstreamPool } from "../../src/platform/http/upstream-pool";
import { probeUpstreams } from "../../src/platform/http/upstream-health";
import { metricsText } from "../../src/platform/observability/metrics-endpoint";
import { watchUpstreams } from "../../src/platform/observability/upstream-metrics";

interface FakeReplica {
  server: Server<unknown>;
  url: string;
  hits: { method: string; key: string | null; body: string }[];
  /** The status this replica answers with (503 plays a replica that cannot serve). */
  status: number;
}

const servers: Server<unknown>[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.stop(true);
});

function replica(name: string): FakeReplica {
  const r: FakeReplica = { server: undefined as never, url: "", hits: [], status: 200 };
  r.server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    async fetch(req) {
      const path = new URL(req.url).pathname;
      if (path === "/health/ready") return new Response(null, { status: r.status === 200 ? 200 : 503 });
      r.hits.push({ method: req.method, key: req.headers.get("idempotency-key"), body: await req.text() });
      return Response.json({ replica: name }, { status: r.status });
    },
  });
  servers.push(r.server);
  r.url = `http://127.0.0.1:${r.server.port}`;
  return r;
}

/** A port nothing listens on: a replica that is down (connection refused). */
function deadUrl(): string {
  const s = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response() });
  const url = `http://127.0.0.1:${s.port}`;
  s.stop(true);
  return url;
}

function gatewayTo(pool: UpstreamPool) {
  const app = new Elysia().use(reverseProxy([{ prefix: "/api/orders", service: "order", pool }]));
  return async (method: string, headers: Record<string, string> = {}, body?: string) => {
    const res = await app.handle(new Request("http://gateway.local/api/orders/x", { method, headers, body }));
    return { status: res.status, body: (await res.json()) as { replica?: string; error?: { message: string } } };
  };
}

describe("the gateway's reverse proxy over replicas", () => {
  test("spreads calls over every replica", async () => {
    const [a, b, c] = [replica("a"), replica("b"), replica("c")];
    const call = gatewayTo(new UpstreamPool("order", [a.url, b.url, c.url]));
    for (let i = 0; i < 30; i++) expect((await call("GET")).status).toBe(200);
    expect([a.hits.length, b.hits.length, c.hits.length]).toEqual([10, 10, 10]);
  });

  test("skips a replica that is down: no client sees it, and its breaker keeps calls off it", async () => {
    const a = replica("a");
    const pool = new UpstreamPool("order", [deadUrl(), a.url], { failuresToOpen: 2, coolDownMs: 60_000 });
    const call = gatewayTo(pool);
    for (let i = 0; i < 20; i++) {
      const res = await call("GET");
      expect(res).toEqual({ status: 200, body: { replica: "a" } });
    }
    expect(a.hits.length).toBe(20);
    expect(pool.states().map((s) => s.state)).toEqual(["open", "closed"]);
  });

  test("a POST without a key refused before it was sent goes to another replica", async () => {
    const a = replica("a");
    const call = gatewayTo(new UpstreamPool("order", [deadUrl(), a.url]));
    const res = await call("POST", { "content-type": "application/json" }, '{"n":1}');
    expect(res).toEqual({ status: 200, body: { replica: "a" } });
    expect(a.hits).toEqual([{ method: "POST", key: null, body: '{"n":1}' }]);
  });

  test("a POST without an Idempotency-Key that reached a replica is never sent to another", async () => {
    const [a, b] = [replica("a"), replica("b")];
    a.status = 503; // it got the request: whatever it did, doing it again elsewhere could do it twice
    const call = gatewayTo(new UpstreamPool("order", [a.url, b.url]));
    const res = await call("POST", { "content-type": "application/json" }, '{"n":1}');
    expect(res.status).toBe(503);
    expect(a.hits.length).toBe(1);
    expect(b.hits.length).toBe(0);
  });

  test("a POST with an Idempotency-Key is sent again to another replica, key and body unchanged", async () => {
    const [a, b] = [replica("a"), replica("b")];
    a.status = 503;
    const call = gatewayTo(new UpstreamPool("order", [a.url, b.url]));
    const res = await call("POST", { "content-type": "application/json", "idempotency-key": "k-1" }, '{"n":1}');
    expect(res).toEqual({ status: 200, body: { replica: "b" } });
    expect(a.hits).toEqual([{ method: "POST", key: "k-1", body: '{"n":1}' }]);
    expect(b.hits).toEqual([{ method: "POST", key: "k-1", body: '{"n":1}' }]);
  });

  test("the breaker opens on 503s, lets one probe through after the cool-down, and closes when it succeeds", async () => {
    const [a, b] = [replica("a"), replica("b")];
    b.status = 503;
    const pool = new UpstreamPool("order", [a.url, b.url], { failuresToOpen: 2, coolDownMs: 300 });
    const call = gatewayTo(pool);
    for (let i = 0; i < 10; i++) expect((await call("GET")).status).toBe(200); // b's 503s retried on a
    expect(b.hits.length).toBe(2); // opened after two: the other eight went straight to a
    expect(pool.states()[1]!.state).toBe("open");

    await Bun.sleep(350);
    expect(pool.states()[1]!.state).toBe("half-open");
    for (let i = 0; i < 4; i++) expect((await call("GET")).status).toBe(200);
    expect(b.hits.length).toBe(3); // one probe, which failed: open again
    expect(pool.states()[1]!.state).toBe("open");

    b.status = 200; // back
    await Bun.sleep(350);
    for (let i = 0; i < 10; i++) expect((await call("GET")).status).toBe(200);
    expect(pool.states()[1]!.state).toBe("closed");
    expect(b.hits.length).toBeGreaterThanOrEqual(3 + 4); // the probe closed it; b takes its share again
  });

  test("with every replica down the client gets a 503 naming the service", async () => {
    const call = gatewayTo(new UpstreamPool("order", [deadUrl(), deadUrl()]));
    const res = await call("GET");
    expect(res.status).toBe(503);
    expect(res.body.error?.message).toStartWith("order is unavailable: ");
  });
});

describe("service clients over replicas", () => {
  const tokens = new TokenService("replica-tests-secret-0123456789abcdef", 3600);
  const client = (urls: string[]) => new ServiceClient({ dependency: "payment", baseUrl: urls, tokens, caller: "order", timeoutMs: 1_000 });

  test("spread calls over the replicas", async () => {
    const [a, b] = [replica("a"), replica("b")];
    const http = client([a.url, b.url]);
    for (let i = 0; i < 10; i++) await http.request("GET", "/internal/x");
    expect([a.hits.length, b.hits.length]).toEqual([5, 5]);
  });

  test("a call to a replica that is down is answered by another, at once", async () => {
    const a = replica("a");
    const http = client([deadUrl(), a.url]);
    const started = performance.now();
    for (let i = 0; i < 10; i++) expect(await http.request<{ replica: string }>("POST", "/internal/x", { n: i })).toEqual({ replica: "a" });
    expect(performance.now() - started).toBeLessThan(1_000); // no backoff sleeps: another replica was there
    expect(a.hits.length).toBe(10);
  });
});

describe("readiness and configuration", () => {
  test("a service is ready when one of its replicas is", async () => {
    const [a, b] = [replica("a"), replica("b")];
    b.status = 503;
    const probe = probeUpstreams([{ service: "order", urls: [deadUrl(), a.url, b.url] }], 1_000);
    const order = (await probe()).order!;
    expect(order.status).toBe("ready");
    expect(Object.values(order.replicas!).map((r) => r.status)).toEqual(["unreachable", "ready", "not ready"]);
    a.status = 503;
    expect((await probe()).order!.status).toBe("not ready");
  });

  test("/metrics shows each replica's breaker state", async () => {
    const a = replica("a");
    const dead = deadUrl();
    const pool = watchUpstreams(new UpstreamPool("metrics-demo", [dead, a.url], { failuresToOpen: 1, coolDownMs: 60_000 }));
    await gatewayTo(pool)("GET");
    const text = await metricsText();
    expect(text).toContain(`shop_upstream_replica_state{service="metrics-demo",replica="${dead}",state="open"} 1`);
    expect(text).toContain(`shop_upstream_replica_state{service="metrics-demo",replica="${a.url}",state="closed"} 1`);
  });

  test("*_URL takes a comma-separated list; a bad entry is refused naming the variable", () => {
    const config = loadConfig({ ORDER_URL: "http://127.0.0.1:3003, http://127.0.0.1:3013/" });
    expect(config.urls.order).toEqual(["http://127.0.0.1:3003", "http://127.0.0.1:3013"]);
    expect(() => loadConfig({ ORDER_URL: "http://127.0.0.1:3003,127.0.0.1:3013" })).toThrow('ORDER_URL must be an http(s) URL, got "127.0.0.1:3013"');
    expect(() => loadConfig({ CART_URL: "http://127.0.0.1:3002,,http://127.0.0.1:3012" })).toThrow("CART_URL has an empty entry");
    expect(() => loadConfig({ PAYMENT_URL: "http://127.0.0.1:3004,http://127.0.0.1:3004/" })).toThrow("PAYMENT_URL lists http://127.0.0.1:3004 twice");
  });
});
