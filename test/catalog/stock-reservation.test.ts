import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { Api, DEMO } from "../support/http-client";
import { repoRoot, startEntrypoint, type ServerProcess } from "../support/processes";
import { serviceToken } from "../support/service-token";

let server: ServerProcess;
let ops: Api;
let service: Api;

beforeAll(async () => {
  server = await startEntrypoint("all.ts", { SEED_CATALOG: "false" });
  ops = await new Api(server.url).login("ops", DEMO.ops);
  service = new Api(server.url, await serviceToken());
});
afterAll(async () => {
  await server?.stop();
});

const newProduct = async (stock: number) =>
  (await ops.post("/api/products", { name: "Scarce", category: "limited", priceCents: 100, currency: "EUR", stock })).body.id as string;

describe("stock reservation never oversells", () => {
  test("50 concurrent reservations of 1 unit against a stock of 10: exactly 10 succeed, stock ends at 0", async () => {
    const productId = await newProduct(10);
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        service.post("/internal/catalog/reservations", { reservationId: `r-${i}`, lines: [{ productId, quantity: 1 }] }),
      ),
    );
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(results.filter((r) => r.body.ok).length).toBe(10);
    const refused = results.filter((r) => !r.body.ok);
    expect(refused.every((r) => r.body.reason === "INSUFFICIENT_STOCK")).toBe(true);
    expect((await ops.get(`/api/products/${productId}`)).body.stock).toBe(0);
  });

  test("separate processes on the same SQLite file cannot oversell either", async () => {
    const productId = await newProduct(10);
    const worker = join(repoRoot, "test", "catalog", "reserve-worker.ts");
    const procs = Array.from({ length: 5 }, (_, w) =>
      Bun.spawn(["bun", worker, server.dataDir, productId, String(w), "10"], { stdout: "pipe", stderr: "inherit" }),
    );
    const outputs = await Promise.all(procs.map(async (p) => Number((await new Response(p.stdout).text()).trim())));
    expect(outputs.reduce((a, b) => a + b, 0)).toBe(10);
    expect((await ops.get(`/api/products/${productId}`)).body.stock).toBe(0);
  });

  test("all-or-nothing: a short line leaves every other line untouched", async () => {
    const plenty = await newProduct(100);
    const scarce = await newProduct(1);
    const res = await service.post("/internal/catalog/reservations", {
      reservationId: "multi-1",
      lines: [
        { productId: plenty, quantity: 5 },
        { productId: scarce, quantity: 2 },
      ],
    });
    expect(res.body).toMatchObject({ ok: false, reason: "INSUFFICIENT_STOCK", productId: scarce, requested: 2, available: 1 });
    expect((await ops.get(`/api/products/${plenty}`)).body.stock).toBe(100);
    expect((await ops.get(`/api/products/${scarce}`)).body.stock).toBe(1);
  });

  test("reserve and release are idempotent, and a released reservation cannot be taken again", async () => {
    const productId = await newProduct(5);
    const lines = [{ productId, quantity: 2 }];
    for (let i = 0; i < 3; i++) expect((await service.post("/internal/catalog/reservations", { reservationId: "idem-1", lines })).body.ok).toBe(true);
    expect((await ops.get(`/api/products/${productId}`)).body.stock).toBe(3);
    for (let i = 0; i < 3; i++) expect((await service.post("/internal/catalog/reservations/idem-1/release")).status).toBe(204);
    expect((await ops.get(`/api/products/${productId}`)).body.stock).toBe(5);
    const again = await service.post("/internal/catalog/reservations", { reservationId: "idem-1", lines });
    expect(again.body).toMatchObject({ ok: false, reason: "ALREADY_RELEASED" });
    // Releasing first (a compensation that overtook a slow reserve) blocks the reserve.
    expect((await service.post("/internal/catalog/reservations/never-reserved/release")).status).toBe(204);
    const late = await service.post("/internal/catalog/reservations", { reservationId: "never-reserved", lines });
    expect(late.body).toMatchObject({ ok: false, reason: "ALREADY_RELEASED" });
    expect((await ops.get(`/api/products/${productId}`)).body.stock).toBe(5);
  });

  test("the internal routes are for services only", async () => {
    const alice = await new Api(server.url).login("alice", DEMO.alice);
    expect((await alice.post("/internal/catalog/reservations", { reservationId: "x", lines: [{ productId: "p", quantity: 1 }] })).status).toBe(403);
    expect((await ops.post("/internal/catalog/reservations", { reservationId: "x", lines: [{ productId: "p", quantity: 1 }] })).status).toBe(403);
  });
});
