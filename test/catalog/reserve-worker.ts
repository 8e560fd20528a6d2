// Child process for the cross-process reservation test: opens the catalog database itself and
// tries `attempts` reservations of one unit; prints how many succeeded.
import { Database } from "bun:sqlite";
import { drizzle } from "drizzle-orm/bun-sqlite";
import { join } from "node:path";
import { CatalogService } from "../../src/modules/catalog/catalog-service";
import * as schema from "../../src/modules/catalog/schema";

const [dataDir, productId, worker, attempts] = process.argv.slice(2) as [string, string, string, string];
const sqlite = new Database(join(dataDir, "catalog.sqlite"));
sqlite.run("PRAGMA busy_timeout = 10000");
const catalog = new CatalogService(sqlite, drizzle({ client: sqlite, schema }));
let ok = 0;
for (let i = 0; i < Number(attempts); i++) {
  if (catalog.reserve(`w${worker}-${i}`, [{ productId, quantity: 1 }]).ok) ok++;
}
sqlite.close();
console.log(ok);
