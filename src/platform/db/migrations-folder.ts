import { join } from "node:path";

/**
 * Where a database's migrations live: beside its schema in the source tree, or under
 * MIGRATIONS_ROOT/<name> in a bundled image, where the source tree is not shipped.
 */
export function migrationsFolder(name: string, besideSource: string): string {
  const root = process.env.MIGRATIONS_ROOT;
  return root ? join(root, name) : besideSource;
}
