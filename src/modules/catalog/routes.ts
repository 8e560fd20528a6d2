import { Elysia, t } from "elysia";
import { requireRole } from "../../platform/auth/guard";
import type { TokenService } from "../../platform/auth/tokens";
import { decodeCursor, encodeCursor } from "../../platform/http/cursor";
import { routeDoc, type RouteDoc } from "../../platform/http/route-docs";
import type { CatalogService } from "./catalog-service";
import { NewProduct, Product, ProductChanges, ProductPage } from "./contract";
import { ProductId, ProductListQuery, ReserveBody, SummariesQuery } from "./request-schemas";

const detail = (doc: Omit<RouteDoc, "tags">) => routeDoc({ tags: ["catalog"], ...doc });
const NO_PRODUCT = { 404: "NOT_FOUND: no product with this id" };

/** Public reads, operator writes, and the internal routes behind the HTTP adapter of CatalogApi. */
export function catalogRoutes(catalog: CatalogService, tokens: TokenService) {
  const reads = new Elysia({ prefix: "/api/products" })
    .get(
      "/",
      async ({ query }) => {
        const { items, hasMore } = await catalog.list({
          q: query.q?.trim() || undefined,
          category: query.category || undefined,
          limit: query.limit ?? 20,
          afterId: decodeCursor(query.cursor),
        });
        return { items, nextCursor: hasMore ? encodeCursor(items[items.length - 1]!.id) : null };
      },
      {
        query: ProductListQuery,
        detail: detail({
          summary: "Search and page through products",
          caller: "anyone",
          ok: { 200: ProductPage },
          refuses: { 400: "BAD_REQUEST: a cursor this list did not hand out" },
        }),
      },
    )
    .get("/:id", async ({ params }) => catalog.get(params.id), {
      params: ProductId,
      detail: detail({ summary: "One product", caller: "anyone", ok: { 200: Product }, refuses: NO_PRODUCT }),
    });

  const writes = new Elysia({ prefix: "/api/products" })
    .use(requireRole(tokens, "operator"))
    .post(
      "/",
      async ({ body, set }) => {
        const product = await catalog.create(body);
        set.status = 201;
        return product;
      },
      { body: NewProduct, response: { 201: Product }, detail: detail({ summary: "Create a product (operators)", caller: "operator", ok: { 201: Product } }) },
    )
    .patch("/:id", async ({ params, body }) => catalog.update(params.id, body), {
      params: ProductId,
      body: ProductChanges,
      response: Product,
      detail: detail({ summary: "Change a product (operators)", caller: "operator", ok: { 200: Product }, refuses: NO_PRODUCT }),
    })
    .delete(
      "/:id",
      async ({ params, set }) => {
        await catalog.remove(params.id);
        set.status = 204;
      },
      { params: ProductId, detail: detail({ summary: "Delete a product (operators)", caller: "operator", ok: { 204: null }, refuses: NO_PRODUCT }) },
    );

  const internal = new Elysia({ prefix: "/internal/catalog", detail: { hide: true } })
    .use(requireRole(tokens, "service"))
    .get("/summaries", async ({ query }) => catalog.summaries(query.ids.split(",").filter(Boolean)), { query: SummariesQuery })
    .post("/reservations", async ({ body }) => catalog.reserve(body.reservationId, body.lines), { body: ReserveBody })
    .post(
      "/reservations/:id/release",
      async ({ params, set }) => {
        await catalog.release(params.id);
        set.status = 204;
      },
      { params: t.Object({ id: t.String({ minLength: 1, maxLength: 64 }) }) },
    );

  return new Elysia({ name: "catalog.routes" }).use(reads).use(writes).use(internal);
}
