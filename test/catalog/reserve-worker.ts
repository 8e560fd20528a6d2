// Child process for the cross-process reservation test: opens the catalog database the way the
// catalog module does (its repository on its own connection) and tries `attempts` reservations of
// one unit, each committed before the next; prints how many succeeded.
import { Database } from "bun:sqlite";
import { join } from "node:path";
import { SqliteCatalogRepository } from "../../src/modules/catalog/catalog-repository.sqlite";
import { writesOnDisk } from "../../src/platform/db/group-commit";
import { SqliteUnitOfWork } from "../../src/platform/db/unit-of-work.sqlite";
import { SqliteOutbox } from "../../src/platform/events/outbox.sqlite";

const [dataDir, productId, worker, attempts] = process.argv.slice(2) as [string, string, string, string];
const sqlite = new Database(join(dataDir, "catalog.sqlite"), { strict: true });
sqlite.run("PRAGMA busy_timeout = 10000");
const catalog = new SqliteCatalogRepository(sqlite, new SqliteUnitOfWork(sqlite, new SqliteOutbox(sqlite), "catalog"));
let ok = 0;
for (let i = 0; i < Number(attempts); i++) {
  if ((await catalog.reserve(`w${worker}-${i}`, [{ productId, quantity: 1 }])).ok) ok++;
  await writesOnDisk();
}
sqlite.close();
console.log(ok);
