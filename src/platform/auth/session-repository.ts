import type { SessionCheck } from "./session-check";

/**
 * The sessions behind tokens, in the identity database: a token is live only while its session
 * is not revoked or expired and its account exists and is enabled. `isActive` answers
 * synchronously where the database can (SQLite): every request's token check asks it, through a
 * cache. SQLite: session-repository.sqlite.ts.
 */
export interface SessionRepository extends SessionCheck {
  /** Records a sign-in; the session id its token carries as `jti`, or null when the account is disabled or gone. */
  open(userId: string, expiresAt: number): Promise<string | null>;
  revoke(sessionId: string): Promise<void>;
  revokeAllOf(userId: string): Promise<void>;
}
