import type { Statement } from "bun:sqlite";
import { newId, nowIso } from "../ids";
import type { IdentityDatabase } from "./identity-database";
import type { SessionCheck } from "./session-check";

const nowSeconds = () => Math.floor(Date.now() / 1000);

/**
 * The sessions behind tokens, in the identity database: a token is live only while its row is
 * not revoked or expired and its account exists and is enabled. Single statements, each its own
 * (autocommitted) transaction.
 */
export class SessionStore implements SessionCheck {
  private readonly insert: Statement;
  private readonly active: Statement<{ live: number }>;
  private readonly revokeOne: Statement;
  private readonly revokeUser: Statement;
  private readonly purge: Statement;
  private opened = 0;

  constructor(database: IdentityDatabase) {
    const { sqlite } = database;
    // Only for an enabled account, in the same statement: a sign-in racing an operator's disable opens nothing.
    this.insert = sqlite.prepare(
      "INSERT INTO sessions (id, user_id, created_at, expires_at) SELECT ?1, ?2, ?3, ?4 WHERE EXISTS (SELECT 1 FROM users WHERE id = ?2 AND disabled_at IS NULL)",
    );
    this.active = sqlite.prepare(
      `SELECT 1 AS live FROM sessions JOIN users ON users.id = sessions.user_id
       WHERE sessions.id = ? AND sessions.user_id = ? AND sessions.revoked_at IS NULL AND sessions.expires_at > ? AND users.disabled_at IS NULL`,
    );
    this.revokeOne = sqlite.prepare("UPDATE sessions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL");
    this.revokeUser = sqlite.prepare("UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL AND expires_at > ?");
    this.purge = sqlite.prepare("DELETE FROM sessions WHERE expires_at <= ?");
  }

  /** Records a sign-in; returns the session id its token carries as `jti`, or null when the account is disabled or gone. */
  open(userId: string, expiresAt: number): string | null {
    // Expired rows are of no use to anyone: cleared now and then, as sign-ins come.
    if (++this.opened % 500 === 0) this.purge.run(nowSeconds());
    const id = newId();
    return this.insert.run(id, userId, nowIso(), expiresAt).changes === 1 ? id : null;
  }

  isActive(sessionId: string, userId: string): boolean {
    return this.active.get(sessionId, userId, nowSeconds()) !== null;
  }

  revoke(sessionId: string): void {
    this.revokeOne.run(nowIso(), sessionId);
  }

  revokeAllOf(userId: string): void {
    this.revokeUser.run(nowIso(), userId, nowSeconds());
  }
}
