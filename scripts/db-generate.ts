// Generates versioned SQL migrations from each database's drizzle schemas (drizzle-kit), for both
// engines: SQLite in `<out>/`, PostgreSQL in `<out>/postgres/` (a folder drizzle-kit's SQLite
// journal ignores). Run after changing a schema: `bun run db:generate`, then commit the new files.
// Extra arguments go to drizzle-kit (e.g. `--name add_x`).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const databases: Array<{ name: string; sqlite: string; postgres: string; out: string }> = [
  { name: "identity", sqlite: "src/platform/auth/users-schema.ts", postgres: "src/platform/auth/identity-postgres-schema.ts", out: "src/platform/auth/migrations" },
  ...["catalog", "cart", "order", "payment"].map((m) => ({
    name: m,
    sqlite: `src/modules/${m}/schema.ts`,
    postgres: `src/modules/${m}/postgres-schema.ts`,
    out: `src/modules/${m}/migrations`,
  })),
];

function generate(name: string, dialect: "sqlite" | "postgresql", schema: string, out: string): void {
  if (!existsSync(schema)) return;
  const proc = Bun.spawnSync(
    ["bunx", "drizzle-kit", "generate", "--dialect", dialect, "--schema", schema, "--out", out, ...process.argv.slice(2)],
    { stdout: "inherit", stderr: "inherit" },
  );
  if (proc.exitCode !== 0) {
    console.error(`drizzle-kit failed for ${name} (${dialect})`);
    process.exit(proc.exitCode ?? 1);
  }
}

for (const db of databases) {
  generate(db.name, "sqlite", db.sqlite, db.out);
  const pgOut = join(db.out, "postgres");
  generate(db.name, "postgresql", db.postgres, pgOut);
  // PostgreSQL tables are unqualified so that each module's search_path puts them in its own
  // schema; a schema name in a migration would pin them elsewhere.
  for (const file of existsSync(pgOut) ? readdirSync(pgOut).filter((f) => f.endsWith(".sql")) : []) {
    if (/"public"\.|CREATE SCHEMA/i.test(readFileSync(join(pgOut, file), "utf8"))) {
      console.error(`${join(pgOut, file)} names a schema: declare ${db.name}'s tables with pgTable (no pgSchema) and no cross-schema references`);
      process.exit(1);
    }
  }
}
