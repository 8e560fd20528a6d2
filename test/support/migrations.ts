import type { Database } from "bun:sqlite";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * A module's migration files in order, and a way to apply them one at a time (drizzle's
 * "--> statement-breakpoint" separated SQL), to test a migration against a file holding data.
 */
export function migrationSteps(folder: string) {
  const files = readdirSync(folder).filter((f) => f.endsWith(".sql")).sort();
  const apply = (db: Database, file: string) => {
    for (const statement of readFileSync(join(folder, file), "utf8").split("--> statement-breakpoint")) if (statement.trim()) db.run(statement);
  };
  return {
    files,
    /** Applies every migration before the one whose name starts with `prefix`; returns the rest. */
    applyBefore(db: Database, prefix: string): string[] {
      const at = files.findIndex((f) => f.startsWith(prefix));
      if (at < 1) throw new Error(`no migration ${prefix}* after the first in ${folder}`);
      for (const file of files.slice(0, at)) apply(db, file);
      return files.slice(at);
    },
    apply,
  };
}
