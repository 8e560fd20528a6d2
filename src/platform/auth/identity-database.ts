import { join } from "node:path";
import { openModuleDatabase, type ModuleDatabase } from "../db/open-database";
import { migrationsFolder } from "../db/migrations-folder";
import * as schema from "./users-schema";

export type IdentityDatabase = ModuleDatabase<typeof schema>;

/** The identity migrations beside this file (PostgreSQL's in its postgres/). */
export const IDENTITY_MIGRATIONS = join(import.meta.dir, "migrations");

/** The identity database (accounts and sessions), owned by the process that signs users in. */
export const openIdentityDatabase = (dataDir: string): IdentityDatabase =>
  openModuleDatabase(dataDir, "identity", schema, migrationsFolder("identity", IDENTITY_MIGRATIONS));
