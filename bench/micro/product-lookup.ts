// How much of a catalog read is the ORM: the shop's product-by-id query three ways, on the
// shop's own schema, in one process with no HTTP. `bun bench/micro/product-lookup.ts`
//   drizzle as written (builds SQL and prepares a statement on every call),
//   drizzle prepared once with a placeholder, and bun:sqlite's cached db.query().
import { Database } from "bun:sqlite";
import { eq, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/bun-sqlite";
import { rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { products } from "../../src/modules/catalog/schema";
import { tempDir } from "../../test/support/processes";
import { applyModuleMigrations, shopPragmas } from "../ceiling/module-schema";

const file = join(tempDir("bench-micro-"), "catalog.sqlite");
const sqlite = new Database(file, { create: true, strict: true });
shopPragmas(sqlite);
applyModuleMigrations(sqlite, "catalog");
const now = new Date().toISOString();
const ids = Array.from({ length: 24 }, (_, i) => `0190aaaa-0000-7000-8000-${String(i).padStart(12, "0")}`);
for (const id of ids) {
  sqlite.query("INSERT INTO products (id, name, description, category, price_cents, currency, stock, created_at, updated_at) VALUES (?, 'A product', 'Some description of it', 'kitchen', 1000, 'EUR', 10, ?, ?)").run(id, now, now);
}
const db = drizzle({ client: sqlite, schema: { products } });

const asWritten = (id: string) => db.select().from(products).where(eq(products.id, id)).get();
const preparedOnce = db.select().from(products).where(eq(products.id, sql.placeholder("id"))).prepare();
const cached = sqlite.query("SELECT id, name, description, category, price_cents AS priceCents, currency, stock, image_url AS imageUrl, created_at AS createdAt, updated_at AS updatedAt FROM products WHERE id = ?");

function perSecond(name: string, fn: (id: string) => unknown) {
  for (let i = 0; i < 20_000; i++) fn(ids[i % 24]!); // warm-up
  const start = performance.now();
  let n = 0;
  while (performance.now() - start < 1500) for (let i = 0; i < 1000; i++, n++) fn(ids[n % 24]!);
  const rate = n / ((performance.now() - start) / 1000);
  console.log(`${name.padEnd(44)} ${Math.round(rate).toLocaleString("en-US").padStart(10)} /s  ${(1e6 / rate).toFixed(2)} µs each`);
}

perSecond("drizzle, as in product-repository.ts get()", asWritten);
perSecond("drizzle, .prepare() once with a placeholder", (id) => preparedOnce.get({ id }));
perSecond("bun:sqlite db.query() (cached statement)", (id) => cached.get(id));
sqlite.close();
rmSync(dirname(file), { recursive: true, force: true });
