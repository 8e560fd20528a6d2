// METRICS_PORT: /metrics on its own listener (same HOST), and a 404 on the public port. Real
// processes of both modes: the all-in-one shop, and in split mode the gateway and a module service.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { freePort, startEntrypoint, type ServerProcess } from "../support/processes";

const servers: Record<string, { server: ServerProcess; metricsPort: number }> = {};

beforeAll(async () => {
  const start = async (name: string, entry: string, env: Record<string, string> = {}) => {
    const metricsPort = freePort();
    const server = await startEntrypoint(entry, { SEED_CATALOG: "false", METRICS_PORT: String(metricsPort), ...env }, { readyTimeoutMs: 60_000 });
    servers[name] = { server, metricsPort };
  };
  await start("all-in-one", "all.ts");
  await start("split catalog service", "catalog.ts", { IDENTITY_URL: "http://127.0.0.1:9" });
  const catalog = servers["split catalog service"]!.server.url;
  await start("split gateway", "gateway.ts", { CATALOG_URL: catalog, CART_URL: catalog, ORDER_URL: catalog, PAYMENT_URL: catalog });
}, 120_000);
afterAll(async () => {
  await Promise.all(Object.values(servers).map(({ server }) => server.stop()));
});

describe.each(["all-in-one", "split gateway", "split catalog service"])("%s", (name) => {
  test("/metrics answers on METRICS_PORT only; the public port says 404 in the error shape", async () => {
    const { server, metricsPort } = servers[name]!;
    await fetch(`${server.url}/health/live`); // at least one request to count
    const open = await fetch(`${server.url}/metrics`);
    expect(open.status).toBe(404);
    expect((await open.json()).error.code).toBe("ROUTE_NOT_FOUND");
    // Nor does the OpenAPI document advertise it there.
    const doc = await (await fetch(`${server.url}/openapi/json`)).json();
    expect(Object.keys(doc.paths)).not.toContain("/metrics");

    const scrape = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
    expect(scrape.status).toBe(200);
    expect(scrape.headers.get("content-type")).toContain("text/plain");
    const text = await scrape.text();
    expect(text).toContain('http_requests_total{method="GET",route="/health/live",status="200"}');
    expect(text).toContain("process_resident_memory_bytes");
    // The metrics port serves nothing else.
    for (const path of ["/", "/health/live", "/api/products", "/metrics/x"]) {
      const other = await fetch(`http://127.0.0.1:${metricsPort}${path}`);
      expect({ path, status: other.status }).toEqual({ path, status: 404 });
    }
  }, 30_000);
});
