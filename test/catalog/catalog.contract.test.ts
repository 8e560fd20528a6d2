import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { CatalogApi } from "../../src/modules/catalog";
import { createCatalogModule, httpCatalogApi, type CatalogModule } from "../../src/modules/catalog/module";
import { engines } from "../support/engines";
import { catalogAdmin, clientOptions, forBothAdapters, moduleDepsOn, serve } from "../support/module-harness";

for (const engine of engines()) {
  describe(`on ${engine.name}`, () => {
    let catalog: CatalogModule;
    let server: ReturnType<typeof serve>;
    let admin: Awaited<ReturnType<typeof catalogAdmin>>;
    beforeAll(async () => {
      catalog = createCatalogModule({ ...(await moduleDepsOn(engine, "catalog_contract")), seed: false });
      await catalog.start();
      server = serve(catalog);
      admin = await catalogAdmin(catalog);
    }, engine.setupTimeoutMs + 30_000);
    afterAll(() => server?.close());

    const product = async (stock: number) => (await admin.create({ name: `P${Math.random()}`, category: "contract", priceCents: 250, currency: "EUR", stock })).id;

    forBothAdapters(
      describe,
      { "in-process": () => catalog.api, http: () => httpCatalogApi(clientOptions(server.baseUrl)) },
      (api: () => CatalogApi) => {
        test("getProducts returns summaries and leaves unknown ids out", async () => {
          const id = await product(4);
          const found = await api().getProducts([id, "unknown-id"]);
          expect(found).toEqual([{ id, name: expect.any(String), priceCents: 250, currency: "EUR", stock: 4 }]);
          expect(await api().getProducts([])).toEqual([]);
        });

        test("getProducts answers a long list of ids as well as a short one", async () => {
          const ids = await Promise.all(Array.from({ length: 12 }, (_, i) => product(i + 1)));
          for (const asked of [ids.slice(0, 3), ids]) {
            const found = await api().getProducts([...asked, "unknown-id"]);
            expect(found.map((p) => p.id).sort()).toEqual([...asked].sort());
          }
        });

        test("reserveStock is all-or-nothing and reports what is short", async () => {
          const a = await product(5);
          const b = await product(1);
          const short = await api().reserveStock(`r-${Math.random()}`, [
            { productId: a, quantity: 2 },
            { productId: b, quantity: 3 },
          ]);
          expect(short).toEqual({ ok: false, reason: "INSUFFICIENT_STOCK", productId: b, requested: 3, available: 1 });
          expect((await api().getProducts([a]))[0]!.stock).toBe(5);
          expect(await api().reserveStock(`r-${Math.random()}`, [{ productId: "ghost", quantity: 1 }])).toEqual({
            ok: false,
            reason: "UNKNOWN_PRODUCT",
            productId: "ghost",
          });
        });

        test("30 reservations at once over the same two products, lines in either order: exactly the stock is taken, all-or-nothing", async () => {
          const [a, b] = [await product(10), await product(10)];
          const results = await Promise.all(
            Array.from({ length: 30 }, (_, i) =>
              api().reserveStock(`r-${crypto.randomUUID()}`, i % 2 ? [{ productId: a, quantity: 1 }, { productId: b, quantity: 1 }] : [{ productId: b, quantity: 1 }, { productId: a, quantity: 1 }]),
            ),
          );
          expect(results.filter((r) => r.ok).length).toBe(10);
          expect((await api().getProducts([a, b])).map((p) => p.stock)).toEqual([0, 0]);
        });

        test("reserve and release are idempotent per reservation id; a released id stays released", async () => {
          const id = await product(3);
          const rid = `r-${Math.random()}`;
          expect(await api().reserveStock(rid, [{ productId: id, quantity: 2 }])).toEqual({ ok: true, reservationId: rid });
          expect(await api().reserveStock(rid, [{ productId: id, quantity: 2 }])).toEqual({ ok: true, reservationId: rid });
          expect((await api().getProducts([id]))[0]!.stock).toBe(1);
          await api().releaseStock(rid);
          await api().releaseStock(rid);
          expect((await api().getProducts([id]))[0]!.stock).toBe(3);
          expect(await api().reserveStock(rid, [{ productId: id, quantity: 1 }])).toEqual({ ok: false, reason: "ALREADY_RELEASED", reservationId: rid });
        });
      },
    );
  });
}
