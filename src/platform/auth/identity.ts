import { AppError, conflict, notFound } from "../errors";
import type { ClientAddresses } from "../http/client-address";
import type { RateLimiterFactory } from "../throttling/rate-limiter";
import type { Config } from "../config";
import { openIdentityDatabase, type IdentityDatabase } from "./identity-database";
import type { Principal } from "./principal";
import { Accounts, type Account } from "./accounts";
import { CachedSessionCheck } from "./session-check";
import type { SessionRepository } from "./session-repository";
import { SqliteSessionRepository } from "./session-repository.sqlite";
import { SignInThrottle } from "./sign-in-throttle";
import type { TokenService } from "./tokens";
import { SqliteUserRepository } from "./user-repository.sqlite";

/**
 * The owner of identity (all-in-one, or the gateway in split mode): accounts, the sessions their
 * tokens belong to, sign-in with its throttling, sign-out and operators disabling accounts. Its
 * `sessionCheck` answers from the database through a short cache that a revocation here clears
 * at once; other processes ask over /internal/auth (identity-internal-routes.ts).
 */
export class Identity {
  readonly database: IdentityDatabase;
  readonly users: Accounts;
  readonly sessions: SessionRepository;
  readonly sessionCheck: CachedSessionCheck;
  readonly throttle: SignInThrottle;

  constructor(
    config: Pick<Config, "dataDir" | "tokenCheckCacheMs" | "throttle">,
    limiterFor: RateLimiterFactory,
    readonly addresses: ClientAddresses,
  ) {
    this.database = openIdentityDatabase(config.dataDir);
    this.users = new Accounts(new SqliteUserRepository(this.database.sqlite));
    this.sessions = new SqliteSessionRepository(this.database.sqlite);
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

  close(): void {
    this.database.close();
  }
}
