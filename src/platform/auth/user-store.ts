import { eq } from "drizzle-orm";
import { conflict } from "../errors";
import { newId, nowIso } from "../ids";
import type { IdentityDatabase } from "./identity-database";
import type { Principal } from "./principal";
import { users } from "./users-schema";

/** An account as operators see it. */
export interface Account {
  id: string;
  username: string;
  role: "customer" | "operator";
  disabled: boolean;
}

/** Usernames are case-insensitive: stored and looked up lower-cased. */
export const usernameKey = (username: string) => username.toLowerCase();

/** Accounts and their password hashes (argon2id via Bun.password), in the identity database. */
export class UserStore {
  constructor(private readonly database: IdentityDatabase) {}

  async register(username: string, password: string, role: "customer" | "operator" = "customer"): Promise<Principal> {
    const name = usernameKey(username);
    // argon2id at the OWASP baseline (19 MiB, 2 passes): strong, and cheap enough for a busy login route.
    const passwordHash = await Bun.password.hash(password, HASH_OPTIONS);
    const id = newId();
    const inserted = this.database.db
      .insert(users)
      .values({ id, username: name, passwordHash, role, createdAt: nowIso() })
      .onConflictDoNothing()
      .returning({ id: users.id })
      .all();
    if (inserted.length === 0) throw conflict("USERNAME_TAKEN", `Username ${name} is already taken`, { field: "username" });
    return { userId: id, username: name, role };
  }

  /** The account for correct credentials (disabled or not), null otherwise (same cost either way). */
  async authenticate(username: string, password: string): Promise<{ principal: Principal; disabled: boolean } | null> {
    const user = this.database.db.select().from(users).where(eq(users.username, usernameKey(username))).get();
    if (!user) {
      await Bun.password.verify(password, await dummyHash()); // keep timing flat for unknown names
      return null;
    }
    if (!(await Bun.password.verify(password, user.passwordHash))) return null;
    return { principal: { userId: user.id, username: user.username, role: user.role }, disabled: user.disabledAt !== null };
  }

  /** Disables or enables an account; null when there is no such account. */
  setDisabled(id: string, disabled: boolean): Account | null {
    const row = this.database.db
      .update(users)
      .set({ disabledAt: disabled ? nowIso() : null })
      .where(eq(users.id, id))
      .returning({ id: users.id, username: users.username, role: users.role })
      .get();
    return row ? { ...row, disabled } : null;
  }

  /** Creates the demo accounts once; their passwords come from configuration. */
  async seedDemoUsers(passwords: { alice: string; bob: string; ops: string }): Promise<void> {
    const demo = [
      ["alice", passwords.alice, "customer"],
      ["bob", passwords.bob, "customer"],
      ["ops", passwords.ops, "operator"],
    ] as const;
    for (const [username, password, role] of demo) {
      const exists = this.database.db.select({ id: users.id }).from(users).where(eq(users.username, username)).get();
      if (!exists) await this.register(username, password, role);
    }
  }
}

let dummy: Promise<string> | undefined;
const dummyHash = () => (dummy ??= Bun.password.hash("not-a-real-password", HASH_OPTIONS));
const HASH_OPTIONS = { algorithm: "argon2id", memoryCost: 19456, timeCost: 2 } as const;
