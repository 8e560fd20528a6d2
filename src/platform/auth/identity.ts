import { AppError, conflict, notFound } from "../errors";
import type { ClientAddresses } from "../http/client-address";
import { postgresRateLimiters } from "../throttling/postgres-rate-limiter";
import type { RateLimiterFactory } from "../throttling/rate-limiter";
import { databaseFor, type Config } from "../config";
import { postgresMigrationsFolder } from "../db/postgres/migrate";
import { postgresPool } from "../db/postgres/open-postgres";
import { IDENTITY_MIGRATIONS, openIdentityDatabase } from "./identity-database";
import type { Principal } from "./principal";
import { Accounts, type Account } from "./accounts";
import { CachedSessionCheck } from "./session-check";
import type { SessionRepository } from "./session-repository";
import { PostgresSessionRepository } from "./session-repository.postgres";
import { SqliteSessionRepository } from "./session-repository.sqlite";
import { SignInThrottle } from "./sign-in-throttle";
import type { TokenService } from "./tokens";
import { PostgresUserRepository } from "./user-repository.postgres";
import { SqliteUserRepository } from "./user-repository.sqlite";

/** The identity database as Identity uses it, whichever the engine. */
interface IdentityStore {
  /** PostgreSQL: checks the server and migrates (a StartupError naming the variable); SQLite: opened already. */
  prepare(): Promise<unknown>;
  answers(): boolean | Promise<boolean>;
  close(): Promise<void>;
}

/**
 * The owner of identity (all-in-one, or the gateway in split mode): accounts, the sessions their
 * tokens belong to, sign-in with its throttling, sign-out and operators disabling accounts. Its
 * `sessionCheck` answers from the database through a short cache that a revocation here clears
 * at once; other processes ask over /internal/auth (identity-internal-routes.ts).
 */
export class Identity {
  private readonly database: IdentityStore;
  readonly users: Accounts;
  readonly sessions: SessionRepository;
  readonly sessionCheck: CachedSessionCheck;
  readonly throttle: SignInThrottle;

  constructor(
    config: Pick<Config, "dataDir" | "tokenCheckCacheMs" | "throttle" | "databases">,
    /** Where the throttles count on SQLite; on PostgreSQL, always the identity database (shared by replicas). */
    limiterFor: RateLimiterFactory,
    readonly addresses: ClientAddresses,
  ) {
    // The engine chosen by configuration (IDENTITY_DATABASE_URL / DATABASE_URL), as for every module.
    const choice = databaseFor(config, "identity");
    if (choice.engine === "postgres") {
      const pool = postgresPool(choice, { migrationsFolder: postgresMigrationsFolder("identity", IDENTITY_MIGRATIONS) });
      // Every replica (gateway, all-in-one) on this database counts against the same windows.
      limiterFor = postgresRateLimiters(pool.sql);
      this.database = pool;
      this.users = new Accounts(new PostgresUserRepository(pool.sql));
      this.sessions = new PostgresSessionRepository(pool.sql);
    } else {
      const sqlite = openIdentityDatabase(config.dataDir);
      this.database = { prepare: async () => {}, answers: () => sqlite.answers(), close: async () => sqlite.close() };
      this.users = new Accounts(new SqliteUserRepository(sqlite.sqlite));
      this.sessions = new SqliteSessionRepository(sqlite.sqlite);
    }
    this.sessionCheck = new CachedSessionCheck(this.sessions, config.tokenCheckCacheMs);
    this.throttle = new SignInThrottle({
      perAccount: limiterFor(config.throttle.signInPerAccount),
      perAddress: limiterFor(config.throttle.signInPerAddress),
      registrationsPerAddress: limiterFor(config.throttle.registrationPerAddress),
    });
  }

  async register(username: string, password: string, address: string): Promise<Principal> {
    await this.throttle.registration(address);
    return this.users.register(username, password);
  }

  /** Checks the credentials (throttled) and opens a session; returns its token. */
  async signIn(username: string, password: string, address: string, tokens: TokenService): Promise<{ token: string; principal: Principal }> {
    const attempt = await this.throttle.attempt(username, address);
    const found = await this.users.authenticate(username, password);
    if (!found) {
      await attempt.failed();
      throw new AppError(401, "UNAUTHORIZED", "Wrong username or password");
    }
    await attempt.succeeded();
    const expiresAt = Math.floor(Date.now() / 1000) + tokens.ttlSeconds;
    const sessionId = found.disabled ? null : await this.sessions.open(found.principal.userId, expiresAt);
    if (!sessionId) throw new AppError(403, "ACCOUNT_DISABLED", "This account is disabled; an operator can enable it again");
    return { token: await tokens.sign(found.principal, { sessionId, expiresAt }), principal: { ...found.principal, sessionId } };
  }

  /** Revokes the session of the presented token (service tokens have none: nothing to do). */
  async signOut(principal: Principal): Promise<void> {
    if (!principal.sessionId) return;
    await this.sessions.revoke(principal.sessionId);
    this.sessionCheck.forget(principal.sessionId);
  }

  /** An operator disables (every session revoked, no sign-in) or enables an account. */
  async setDisabled(operator: Principal, userId: string, disabled: boolean): Promise<Account> {
    if (disabled && operator.userId === userId) throw conflict("CANNOT_DISABLE_SELF", "Operators cannot disable their own account");
    const account = await this.users.setDisabled(userId, disabled);
    if (!account) throw notFound("User", userId);
    if (disabled) {
      await this.sessions.revokeAllOf(userId);
      this.sessionCheck.forgetUser(userId);
    }
    return account;
  }

  /** Before the first request: PostgreSQL's server checked and its schema migrated. */
  async open(): Promise<void> {
    await this.database.prepare();
  }

  /** Readiness: the identity database answers a query. */
  answers(): boolean | Promise<boolean> {
    return this.database.answers();
  }

  close(): Promise<void> {
    return this.database.close();
  }
}
