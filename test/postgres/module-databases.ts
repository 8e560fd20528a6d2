// The databases the shop migrates, with their migration folders (SQLite's, and PostgreSQL's in
// its postgres/ subfolder), for tests that treat every one the same way.
import { join } from "node:path";
import type { DatabaseModule } from "../../src/platform/config";
import { repoRoot } from "../support/processes";

const folderOf = (module: DatabaseModule) =>
  module === "identity" ? join(repoRoot, "src", "platform", "auth", "migrations") : join(repoRoot, "src", "modules", module, "migrations");

export const MODULE_DATABASES = (["identity", "catalog", "cart", "order", "payment"] as const).map((module) => ({
  module,
  sqliteFolder: folderOf(module),
  postgresFolder: join(folderOf(module), "postgres"),
}));
