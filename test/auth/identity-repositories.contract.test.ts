// The identity repositories' contract, the same on both engines: UserRepository and
// SessionRepository (and Accounts over them) against a real identity database, a SQLite file or
// the "identity" schema on the PostgreSQL test server, chosen as the shop chooses it.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Accounts } from "../../src/platform/auth/accounts";
import { IDENTITY_MIGRATIONS, openIdentityDatabase } from "../../src/platform/auth/identity-database";
import type { SessionRepository } from "../../src/platform/auth/session-repository";
import { PostgresSessionRepository } from "../../src/platform/auth/session-repository.postgres";
import { SqliteSessionRepository } from "../../src/platform/auth/session-repository.sqlite";
import type { UserRepository, UserRow } from "../../src/platform/auth/user-repository";
import { PostgresUserRepository } from "../../src/platform/auth/user-repository.postgres";
import { SqliteUserRepository } from "../../src/platform/auth/user-repository.sqlite";
import { postgresMigrationsFolder } from "../../src/platform/db/postgres/migrate";
import { postgresPool } from "../../src/platform/db/postgres/open-postgres";
import { newId } from "../../src/platform/ids";
import { engines } from "../support/engines";
import { moduleDepsOn } from "../support/module-harness";

interface IdentityStore {
  users: UserRepository;
  sessions: SessionRepository;
  close(): Promise<void>;
}

/** The identity database on the engine the deps choose, migrated, with both repositories over it. */
async function identityStore(label: string, engine: Parameters<typeof moduleDepsOn>[0]): Promise<IdentityStore> {
  const deps = await moduleDepsOn(engine, label);
  const choice = deps.databases?.identity;
  if (choice?.engine === "postgres") {
    const pool = postgresPool(choice, { migrationsFolder: postgresMigrationsFolder("identity", IDENTITY_MIGRATIONS), max: 4 });
    await pool.prepare();
    return { users: new PostgresUserRepository(pool.sql), sessions: new PostgresSessionRepository(pool.sql), close: () => pool.close() };
  }
  const database = openIdentityDatabase(deps.dataDir);
  return { users: new SqliteUserRepository(database.sqlite), sessions: new SqliteSessionRepository(database.sqlite), close: async () => database.close() };
}

const inAnHour = () => Math.floor(Date.now() / 1000) + 3600;
const aUser = (username = `user_${newId().slice(-12)}`): UserRow => ({
  id: newId(),
  username,
  passwordHash: "$argon2id$not-checked-here",
  role: "customer",
  createdAt: new Date().toISOString(),
  disabledAt: null,
});

for (const engine of engines()) {
  describe(`on ${engine.name}`, () => {
    let store: IdentityStore;
    beforeAll(async () => {
      store = await identityStore("identity_contract", engine);
    }, engine.setupTimeoutMs + 30_000);
    afterAll(() => store?.close());

    describe("users", () => {
      test("an account reads back exactly as inserted; unknown names are undefined", async () => {
        const user = { ...aUser(), role: "operator" as const };
        expect(await store.users.insert(user)).toBe(true);
        expect(await store.users.byUsername(user.username)).toEqual(user);
        expect(await store.users.byUsername("nobody-by-this-name")).toBeUndefined();
      });

      test("a taken username refuses the second account and writes nothing; 10 at once for one name: exactly one account", async () => {
        const first = aUser();
        expect(await store.users.insert(first)).toBe(true);
        expect(await store.users.insert({ ...aUser(first.username), passwordHash: "other" })).toBe(false);
        expect(await store.users.byUsername(first.username)).toEqual(first);

        const name = `race_${newId().slice(-12)}`;
        const candidates = Array.from({ length: 10 }, () => aUser(name));
        const results = await Promise.all(candidates.map((u) => store.users.insert(u)));
        expect(results.filter(Boolean)).toHaveLength(1);
        expect((await store.users.byUsername(name))?.id).toBe(candidates[results.indexOf(true)]!.id);
      });

      test("Accounts over the repository: usernames are case-insensitive (a second ALICE is a 409 USERNAME_TAKEN)", async () => {
        const accounts = new Accounts(store.users);
        const name = `Case_${newId().slice(-10)}`;
        const principal = await accounts.register(name, "a-password-1");
        expect(principal.username).toBe(name.toLowerCase());
        await expect(accounts.register(name.toUpperCase(), "a-password-2")).rejects.toMatchObject({ status: 409, code: "USERNAME_TAKEN" });
        expect(await accounts.authenticate(name.toUpperCase(), "a-password-1")).toEqual({ principal, disabled: false });
      });

      test("setDisabledAt sets and clears the instant and answers the account; an unknown id is undefined", async () => {
        const user = aUser();
        await store.users.insert(user);
        const at = "2026-11-30T12:34:56.789Z";
        expect(await store.users.setDisabledAt(user.id, at)).toEqual({ id: user.id, username: user.username, role: "customer" });
        expect((await store.users.byUsername(user.username))?.disabledAt).toBe(at);
        expect(await store.users.setDisabledAt(user.id, null)).toEqual({ id: user.id, username: user.username, role: "customer" });
        expect((await store.users.byUsername(user.username))?.disabledAt).toBeNull();
        expect(await store.users.setDisabledAt("u-unknown", at)).toBeUndefined();
      });
    });

    describe("sessions", () => {
      const signedUpUser = async () => {
        const user = aUser();
        await store.users.insert(user);
        return user;
      };
      const active = async (sessionId: string, userId: string) => await store.sessions.isActive(sessionId, userId);

      test("a session opened for an enabled account is live for that account only, until it expires", async () => {
        const user = await signedUpUser();
        const sessionId = (await store.sessions.open(user.id, inAnHour()))!;
        expect(sessionId).toBeString();
        expect(await active(sessionId, user.id)).toBe(true);
        expect(await active(sessionId, "u-someone-else")).toBe(false);
        expect(await active("s-unknown", user.id)).toBe(false);
        const expired = (await store.sessions.open(user.id, Math.floor(Date.now() / 1000) - 1))!;
        expect(await active(expired, user.id)).toBe(false);
      });

      test("no session for an account that does not exist or is disabled", async () => {
        expect(await store.sessions.open("u-unknown", inAnHour())).toBeNull();
        const user = await signedUpUser();
        await store.users.setDisabledAt(user.id, new Date().toISOString());
        expect(await store.sessions.open(user.id, inAnHour())).toBeNull();
      });

      test("revoke ends one session (twice is harmless); the account's other session lives on", async () => {
        const user = await signedUpUser();
        const [a, b] = [(await store.sessions.open(user.id, inAnHour()))!, (await store.sessions.open(user.id, inAnHour()))!];
        expect(a).not.toBe(b);
        await store.sessions.revoke(a);
        await store.sessions.revoke(a);
        await store.sessions.revoke("s-unknown");
        expect([await active(a, user.id), await active(b, user.id)]).toEqual([false, true]);
      });

      test("revokeAllOf ends every session of the account and no other's; a later sign-in opens a live one", async () => {
        const [user, other] = [await signedUpUser(), await signedUpUser()];
        const mine = await Promise.all([1, 2, 3].map(() => store.sessions.open(user.id, inAnHour())));
        const theirs = (await store.sessions.open(other.id, inAnHour()))!;
        await store.sessions.revokeAllOf(user.id);
        for (const s of mine) expect(await active(s!, user.id)).toBe(false);
        expect(await active(theirs, other.id)).toBe(true);
        const later = (await store.sessions.open(user.id, inAnHour()))!;
        expect(await active(later, user.id)).toBe(true);
      });

      test("a disabled account's sessions are not live while it stays disabled", async () => {
        const user = await signedUpUser();
        const sessionId = (await store.sessions.open(user.id, inAnHour()))!;
        await store.users.setDisabledAt(user.id, new Date().toISOString());
        expect(await active(sessionId, user.id)).toBe(false);
        await store.users.setDisabledAt(user.id, null);
        expect(await active(sessionId, user.id)).toBe(true); // the operator's disable also revokes (Identity.setDisabled)
      });

      test("20 sign-ins at once: 20 distinct live sessions", async () => {
        const user = await signedUpUser();
        const ids = await Promise.all(Array.from({ length: 20 }, () => store.sessions.open(user.id, inAnHour())));
        expect(new Set(ids).size).toBe(20);
        for (const id of ids) expect(await active(id!, user.id)).toBe(true);
      });
    });
  });
}
