// The PostgreSQL migration runner on a real server: migrations applied in journal order, each in a
// transaction with its record; a database holding data migrated forward; an edited or failing
// migration refused with its name; a lock held elsewhere waited for, then reported.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { SQL } from "bun";
import { migratePostgres } from "../../src/platform/db/postgres/migrate";
import { freshDatabase, POSTGRES_START_TIMEOUT_MS } from "../support/postgres";
import { tempDir } from "../support/processes";

/** A migrations folder as drizzle-kit writes it: meta/_journal.json and <tag>.sql. */
function migrationsFolder(files: Record<string, string>): string {
  const dir = tempDir("pg-migrations-");
  mkdirSync(join(dir, "meta"));
  const entries = Object.keys(files).map((tag, idx) => ({ idx, version: "7", when: 1_700_000_000_000 + idx, tag, breakpoints: true }));
  writeFileSync(join(dir, "meta", "_journal.json"), JSON.stringify({ version: "7", dialect: "postgresql", entries }));
  for (const [tag, text] of Object.entries(files)) writeFileSync(join(dir, `${tag}.sql`), text);
  return dir;
}

const FIRST = `CREATE TABLE "items" ("id" integer PRIMARY KEY NOT NULL, "name" text NOT NULL);`;
const SECOND = `ALTER TABLE "items" ADD COLUMN "label" text;--> statement-breakpoint
UPDATE "items" SET "label" = upper("name");--> statement-breakpoint
ALTER TABLE "items" ALTER COLUMN "label" SET NOT NULL;`;
const THIRD = `ALTER TABLE "items" ADD CONSTRAINT "items_id_positive" CHECK ("id" > 0);`;

let sql: SQL;
beforeAll(async () => {
  sql = new SQL({ url: await freshDatabase("migration-runner"), max: 4 });
}, POSTGRES_START_TIMEOUT_MS);
afterAll(() => sql?.close());

const tagsOf = async (schema: string) => (await sql.unsafe(`SELECT tag FROM "${schema}".schema_migrations ORDER BY tag`)).map((r: { tag: string }) => r.tag);

describe("migratePostgres", () => {
  test("applies the first migrations, then the rest onto the rows written in between, each once", async () => {
    const first = await migratePostgres(sql, { schema: "forward", folder: migrationsFolder({ "0000_items": FIRST }) });
    expect(first).toEqual({ applied: ["0000_items"], present: [], unknown: [] });
    await sql`INSERT INTO forward.items (id, name) VALUES (1, 'tea'), (2, 'coffee')`;

    const all = migrationsFolder({ "0000_items": FIRST, "0001_label": SECOND, "0002_positive": THIRD });
    expect(await migratePostgres(sql, { schema: "forward", folder: all })).toEqual({ applied: ["0001_label", "0002_positive"], present: ["0000_items"], unknown: [] });
    expect(await sql`SELECT id, name, label FROM forward.items ORDER BY id`).toEqual([
      { id: 1, name: "tea", label: "TEA" },
      { id: 2, name: "coffee", label: "COFFEE" },
    ]);
    await expect(sql`INSERT INTO forward.items (id, name, label) VALUES (0, 'x', 'X')`).rejects.toThrow("items_id_positive");
    expect(await migratePostgres(sql, { schema: "forward", folder: all })).toEqual({ applied: [], present: ["0000_items", "0001_label", "0002_positive"], unknown: [] });
    expect(await tagsOf("forward")).toEqual(["0000_items", "0001_label", "0002_positive"]);
  });

  test("puts unqualified names in the schema it is given, and only there", async () => {
    const folder = migrationsFolder({ "0000_items": FIRST });
    await migratePostgres(sql, { schema: "one", folder });
    await migratePostgres(sql, { schema: "order", folder }); // a reserved word, quoted
    const [row] = await sql`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name = 'items' AND table_schema IN ('one', 'order')`;
    expect(row.n).toBe(2);
    const [pub] = await sql`SELECT to_regclass('public.items') AS t`;
    expect(pub.t).toBeNull();
  });

  test("refuses a migration edited after it was applied, naming it", async () => {
    await migratePostgres(sql, { schema: "edited", folder: migrationsFolder({ "0000_items": FIRST }) });
    const changed = migrationsFolder({ "0000_items": FIRST.replace("text", "varchar(20)") });
    await expect(migratePostgres(sql, { schema: "edited", folder: changed })).rejects.toThrow("edited: migration 0000_items was changed after it was applied");
  });

  test("rolls a failing migration back entirely, records nothing, and names it and the statement", async () => {
    const folder = migrationsFolder({
      "0000_items": FIRST,
      "0001_broken": `CREATE TABLE "halfway" ("x" int);--> statement-breakpoint\nALTER TABLE "items" ADD COLUMN "name" text;`,
    });
    await expect(migratePostgres(sql, { schema: "broken", folder })).rejects.toThrow(
      /broken: migration 0001_broken failed and was rolled back \(.*already exists.*\) at: ALTER TABLE "items" ADD COLUMN "name"/,
    );
    expect(await tagsOf("broken")).toEqual(["0000_items"]);
    const [row] = await sql`SELECT to_regclass('broken.halfway') AS t`;
    expect(row.t).toBeNull();
  });

  test("waits for another process's migration lock, and says so when it is held too long", async () => {
    const folder = migrationsFolder({ "0000_items": FIRST });
    await migratePostgres(sql, { schema: "locked", folder: migrationsFolder({}) }); // creates the schema only
    const holder = await sql.reserve();
    try {
      await holder`SELECT pg_advisory_lock(${0x5b0b_0001}, ${Bun.hash.crc32("locked") | 0})`;
      const said: string[] = [];
      const started = Date.now();
      const refused = migratePostgres(sql, { schema: "locked", folder, lockTimeoutMs: 600, log: (m) => said.push(m) });
      await Bun.sleep(300);
      expect(said).toEqual(["locked: waiting for another process that is migrating it"]);
      await expect(refused).rejects.toThrow("locked: another process has held the migration lock for over 1 s");
      expect(Date.now() - started).toBeGreaterThanOrEqual(600);
      expect(await tagsOf("locked")).toEqual([]);
      const waiting = migratePostgres(sql, { schema: "locked", folder });
      await Bun.sleep(300);
      await holder`SELECT pg_advisory_unlock_all()`;
      expect((await waiting).applied).toEqual(["0000_items"]);
    } finally {
      await holder.release();
    }
  });

  test("goes on when the database holds migrations a newer build applied, and says which", async () => {
    await migratePostgres(sql, { schema: "newer", folder: migrationsFolder({ "0000_items": FIRST, "0001_label": SECOND }) });
    const said: string[] = [];
    const result = await migratePostgres(sql, { schema: "newer", folder: migrationsFolder({ "0000_items": FIRST }), log: (m) => said.push(m) });
    expect(result).toEqual({ applied: [], present: ["0000_items"], unknown: ["0001_label"] });
    expect(said).toEqual(["newer: the database has migrations this build does not know (0001_label): a newer build migrated it"]);
  });
});
