// Gives a bench database the shop's real tables and indexes, by running a module's own
// migration files (drizzle's "--> statement-breakpoint" separated SQL) on it.
import type { Database } from "bun:sqlite";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const SRC = join(import.meta.dir, "..", "..", "src");

export function applyModuleMigrations(db: Database, module: "catalog" | "cart" | "order" | "payment"): void {
  const dir = join(SRC, "modules", module, "migrations");
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".sql")).sort()) {
    for (const statement of readFileSync(join(dir, file), "utf8").split("--> statement-breakpoint")) {
      if (statement.trim()) db.run(statement);
    }
  }
}

/** The shop's connection settings (src/platform/db/open-database.ts), so the ceiling pays the same per commit. */
export function shopPragmas(db: Database): void {
  db.run("PRAGMA page_size = 1024"); // new files only, as in the shop
  db.run("PRAGMA journal_mode = WAL");
  db.run("PRAGMA synchronous = FULL");
  db.run("PRAGMA busy_timeout = 5000");
}
