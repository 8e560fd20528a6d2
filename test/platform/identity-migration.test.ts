// Usernames become case-insensitive (identity migrations 0001-0002). An identity file written by
// the previous version, holding accounts that differ only by case, is upgraded as the shop opens
// it: the oldest of each such group keeps the name (lower-cased), later ones become
// `<name>~<id>` and still sign in with their own password under that name; nothing else changes.
import { Database } from "bun:sqlite";
import { afterAll, expect, test } from "bun:test";
import { drizzle } from "drizzle-orm/bun-sqlite";
import { migrate } from "drizzle-orm/bun-sqlite/migrator";
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { openIdentityDatabase } from "../../src/platform/auth/identity-database";
import { Accounts } from "../../src/platform/auth/accounts";
import { SqliteUserRepository } from "../../src/platform/auth/user-repository.sqlite";
import { tempDir } from "../support/processes";

const migrations = join(import.meta.dir, "..", "..", "src", "platform", "auth", "migrations");
const dir = tempDir("shop-identity-migration-");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The identity database as the previous version left it: migration 0000 only, applied by drizzle's migrator. */
function previousVersionFile(dataDir: string): Database {
  const folder = join(dir, "migrations-0000");
  mkdirSync(join(folder, "meta"), { recursive: true });
  copyFileSync(join(migrations, "0000_melted_genesis.sql"), join(folder, "0000_melted_genesis.sql"));
  const journal = JSON.parse(readFileSync(join(migrations, "meta", "_journal.json"), "utf8"));
  writeFileSync(join(folder, "meta", "_journal.json"), JSON.stringify({ ...journal, entries: journal.entries.slice(0, 1) }));
  mkdirSync(dataDir, { recursive: true });
  const sqlite = new Database(join(dataDir, "identity.sqlite"), { create: true, strict: true });
  migrate(drizzle({ client: sqlite }), { migrationsFolder: folder });
  return sqlite;
}

test("accounts that differ only by case: the oldest keeps the name, later ones are renamed and still sign in", async () => {
  const dataDir = join(dir, "data");
  const old = previousVersionFile(dataDir);
  const hash = (password: string) => Bun.password.hash(password, { algorithm: "argon2id", memoryCost: 4096, timeCost: 1 });
  const insert = old.prepare("INSERT INTO users (id, username, password_hash, role, created_at) VALUES (?, ?, ?, ?, ?)");
  insert.run("u3", "ALICE", await hash("second-alice"), "customer", "2026-01-02T00:00:00.000Z");
  insert.run("u1", "alice", await hash("first-alice"), "customer", "2026-01-01T00:00:00.000Z");
  insert.run("u4", "Alice", await hash("third-alice"), "customer", "2026-01-02T00:00:00.000Z"); // same time as u3: the id decides
  insert.run("u2", "Bob.Smith", await hash("bob-password"), "operator", "2026-01-01T00:00:01.000Z");
  insert.run("u5", "carol", await hash("carol-password"), "customer", "2026-01-03T00:00:00.000Z");
  old.close();

  const identity = openIdentityDatabase(dataDir); // upgrades the file as the shop does at start
  expect(identity.sqlite.query("SELECT id, username, role, created_at AS createdAt, disabled_at AS disabledAt FROM users ORDER BY id").all()).toEqual([
    { id: "u1", username: "alice", role: "customer", createdAt: "2026-01-01T00:00:00.000Z", disabledAt: null },
    { id: "u2", username: "bob.smith", role: "operator", createdAt: "2026-01-01T00:00:01.000Z", disabledAt: null },
    { id: "u3", username: "alice~u3", role: "customer", createdAt: "2026-01-02T00:00:00.000Z", disabledAt: null },
    { id: "u4", username: "alice~u4", role: "customer", createdAt: "2026-01-02T00:00:00.000Z", disabledAt: null },
    { id: "u5", username: "carol", role: "customer", createdAt: "2026-01-03T00:00:00.000Z", disabledAt: null },
  ]);

  const users = new Accounts(new SqliteUserRepository(identity.sqlite));
  expect((await users.authenticate("ALICE", "first-alice"))?.principal.userId).toBe("u1");
  expect(await users.authenticate("ALICE", "second-alice")).toBeNull(); // ALICE is alice now
  expect((await users.authenticate("alice~u3", "second-alice"))?.principal.userId).toBe("u3");
  expect((await users.authenticate("Alice~U4", "third-alice"))?.principal.userId).toBe("u4");
  expect((await users.authenticate("BOB.SMITH", "bob-password"))?.principal).toEqual({ userId: "u2", username: "bob.smith", role: "operator" });
  await expect(users.register("Carol", "another-password")).rejects.toMatchObject({ status: 409, code: "USERNAME_TAKEN" });
  expect(() => identity.sqlite.run("INSERT INTO users (id, username, password_hash, role, created_at) VALUES ('u6', 'alice', 'x', 'customer', 't')")).toThrow(/UNIQUE/);
  identity.close();

  // Opening it again migrates nothing more.
  const reopened = openIdentityDatabase(dataDir);
  expect(reopened.sqlite.query("SELECT count(*) AS n FROM users").get()).toEqual({ n: 5 });
  reopened.close();
});
