import { AppError, conflict } from "../errors";
import { newId, nowIso } from "../ids";
import type { Principal } from "./principal";
import type { UserRepository } from "./user-repository";

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
export class Accounts {
  constructor(private readonly users: UserRepository) {}

  async register(username: string, password: string, role: "customer" | "operator" = "customer"): Promise<Principal> {
    const name = usernameKey(username);
    // argon2id at the OWASP baseline (19 MiB, 2 passes): strong, and cheap enough for a busy login route.
    const passwordHash = await Bun.password.hash(password, HASH_OPTIONS);
    const id = newId();
    const inserted = await this.users.insert({ id, username: name, passwordHash, role, createdAt: nowIso(), disabledAt: null });
    if (!inserted) throw conflict("USERNAME_TAKEN", `Username ${name} is already taken`, { field: "username" });
    return { userId: id, username: name, role };
  }

  /** The account for correct credentials (disabled or not), null otherwise (same cost either way). */
  async authenticate(username: string, password: string): Promise<{ principal: Principal; disabled: boolean } | null> {
    const user = await this.users.byUsername(usernameKey(username));
    if (!user) {
      await Bun.password.verify(password, await dummyHash()); // keep timing flat for unknown names
      return null;
    }
    if (!(await Bun.password.verify(password, user.passwordHash))) return null;
    return { principal: { userId: user.id, username: user.username, role: user.role }, disabled: user.disabledAt !== null };
  }

  /** Disables or enables an account; null when there is no such account. */
  async setDisabled(id: string, disabled: boolean): Promise<Account | null> {
    const row = await this.users.setDisabledAt(id, disabled ? nowIso() : null);
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
      if (await this.users.byUsername(username)) continue;
      try {
        await this.register(username, password, role);
      } catch (error) {
        // Another replica starting on the same identity database registered it meanwhile.
        if (!(error instanceof AppError && error.code === "USERNAME_TAKEN")) throw error;
      }
    }
  }
}

let dummy: Promise<string> | undefined;
const dummyHash = () => (dummy ??= Bun.password.hash("not-a-real-password", HASH_OPTIONS));
const HASH_OPTIONS = { algorithm: "argon2id", memoryCost: 19456, timeCost: 2 } as const;
