// Generates versioned SQL migrations from each database's drizzle schema (drizzle-kit).
// Run after changing a schema.ts: `bun run db:generate`, then commit the new migration files.
import { existsSync } from "node:fs";

const databases: Array<{ name: string; schema: string; out: string }> = [
  { name: "identity", schema: "src/platform/auth/users-schema.ts", out: "src/platform/auth/migrations" },
  ...["catalog", "cart", "order", "payment"].map((m) => ({
    name: m,
    schema: `src/modules/${m}/schema.ts`,
    out: `src/modules/${m}/migrations`,
  })),
];

for (const db of databases) {
  if (!existsSync(db.schema)) continue;
  const proc = Bun.spawnSync(
    ["bunx", "drizzle-kit", "generate", "--dialect", "sqlite", "--schema", db.schema, "--out", db.out, ...(process.argv.slice(2))],
    { stdout: "inherit", stderr: "inherit" },
  );
  if (proc.exitCode !== 0) {
    console.error(`drizzle-kit failed for ${db.name}`);
    process.exit(proc.exitCode ?? 1);
  }
}
