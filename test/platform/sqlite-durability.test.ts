// An answered write survives an OS crash or a power cut, not only a process crash: every module's
// SQLite connection syncs the WAL at each commit (synchronous=FULL). With NORMAL, SQLite's WAL mode
// syncs only at checkpoints, so the last commits, already answered 201, could roll back after a
// power loss. One commit per event-loop turn and database (group-commit.ts) shares each sync among
// the turn's requests. A power cut cannot be simulated here; this pins the setting SQLite's
// guarantee rests on, for the databases of every module and of identity.
import { afterAll, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { openIdentityDatabase } from "../../src/platform/auth/identity-database";
import { openModuleDatabase } from "../../src/platform/db/open-database";
import * as cart from "../../src/modules/cart/schema";
import * as catalog from "../../src/modules/catalog/schema";
import * as order from "../../src/modules/order/schema";
import * as payment from "../../src/modules/payment/schema";
import { tempDir } from "../support/processes";

const dir = tempDir("shop-durability-");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const FULL = 2; // PRAGMA synchronous: 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA

test("every module's SQLite database is in WAL mode and syncs each commit", () => {
  const modules = { catalog, cart, order, payment };
  const databases = [
    ...Object.entries(modules).map(([name, schema]) => openModuleDatabase(dir, name, schema, join(import.meta.dir, "..", "..", "src", "modules", name, "migrations"))),
    openIdentityDatabase(dir),
  ];
  try {
    for (const { sqlite, path } of databases) {
      const journal = sqlite.query<{ journal_mode: string }, []>("PRAGMA journal_mode").get()!.journal_mode;
      const synchronous = sqlite.query<{ synchronous: number }, []>("PRAGMA synchronous").get()!.synchronous;
      expect({ path, journal, synchronous }).toEqual({ path, journal: "wal", synchronous: FULL });
    }
  } finally {
    for (const database of databases) database.close();
  }
});
