// Ceiling for catalog reads: Elysia with no middleware (no request ids, logs, OpenAPI, response
// validation) answering the shop's two read routes from the same product rows with prepared
// statements. `bun bench/ceiling/bare-elysia.ts <sqlite file> <port>`; the file is made by run.ts.
import { Database } from "bun:sqlite";
import { Elysia } from "elysia";

const [file, port] = process.argv.slice(2);
const db = new Database(file!, { readonly: true, strict: true });
const COLUMNS =
  "id, name, description, category, price_cents AS priceCents, currency, stock, image_url AS imageUrl, created_at AS createdAt, updated_at AS updatedAt";
const byId = db.query(`SELECT ${COLUMNS} FROM products WHERE id = ?`);
// The same filter as src/modules/catalog/product-repository.ts list() with a q.
const search = db.query(
  `SELECT ${COLUMNS} FROM products WHERE (name LIKE ?1 ESCAPE '\\' OR description LIKE ?1 ESCAPE '\\' OR category LIKE ?1 ESCAPE '\\') ORDER BY id LIMIT ?2`,
);

new Elysia()
  .get("/api/products/:id", ({ params, status }) => byId.get(params.id) ?? status(404, { error: "not found" }))
  .get("/api/products", ({ query }) => {
    const limit = Number(query.limit ?? 20);
    const rows = search.all(`%${query.q ?? ""}%`, limit + 1);
    return { items: rows.slice(0, limit), nextCursor: null };
  })
  .listen({ port: Number(port), hostname: "127.0.0.1" });
console.log("ready");
