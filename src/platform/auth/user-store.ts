import { eq } from "drizzle-orm";
import { join } from "node:path";
import { openModuleDatabase, type ModuleDatabase } from "../db/open-database";
import { migrationsFolder } from "../db/migrations-folder";
import { conflict } from "../errors";
import { newId, nowIso } from "../ids";
import type { Principal } from "./principal";
import * as schema from "./users-schema";

const { users } = schema;

/** Accounts and their password hashes (argon2id via Bun.password), in the identity database. */
export class UserStore {
  readonly database: ModuleDatabase<typeof schema>;

  constructor(dataDir: string) {
    this.database = openModuleDatabase(dataDir, "identity", schema, migrationsFolder("identity", join(import.meta.dir, "migrations")));
  }

  async register(username: string, password: string, role: "customer" | "operator" = "customer"): Promise<Principal> {
    // argon2id at the OWASP baseline (19 MiB, 2 passes): strong, and cheap enough for a busy login route.
    const passwordHash = await Bun.password.hash(password, HASH_OPTIONS);
    const id = newId();
    const inserted = this.database.db
      .insert(users)
      .values({ id, username, passwordHash, role, createdAt: nowIso() })
      .onConflictDoNothing()
      .returning({ id: users.id })
      .all();
    if (inserted.length === 0) throw conflict("USERNAME_TAKEN", `Username ${username} is already taken`, { field: "username" });
    return { userId: id, username, role };
  }

  /** Returns the principal for correct credentials, null otherwise (same cost either way). */
  async authenticate(username: string, password: string): Promise<Principal | null> {
    const user = this.database.db.select().from(users).where(eq(users.username, username)).get();
    if (!user) {
      await Bun.password.verify(password, await dummyHash()); // keep timing flat for unknown names
      return null;
    }
    if (!(await Bun.password.verify(password, user.passwordHash))) return null;
    return { userId: user.id, username: user.username, role: user.role };
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

  close() {
    this.database.close();
  }
}

let dummy: Promise<string> | undefined;
const dummyHash = () => (dummy ??= Bun.password.hash("not-a-real-password", HASH_OPTIONS));
const HASH_OPTIONS = { algorithm: "argon2id", memoryCost: 19456, timeCost: 2 } as const;
