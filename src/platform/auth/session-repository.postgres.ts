import type { SQL } from "bun";
import { newId, nowIso } from "../ids";
import type { SessionRepository } from "./session-repository";

const nowSeconds = () => Math.floor(Date.now() / 1000);
const ENABLED = `u.disabled_at IS NULL`;

/**
 * SessionRepository on PostgreSQL (Bun SQL), the twin of session-repository.sqlite.ts: single
 * statements, each its own transaction. `isActive` answers asynchronously (a round trip), behind
 * the CachedSessionCheck every process puts in front of it.
 */
export class PostgresSessionRepository implements SessionRepository {
  private opened = 0;

  constructor(private readonly sql: SQL) {}

  async open(userId: string, expiresAt: number): Promise<string | null> {
    if (++this.opened % 500 === 0) await this.sql.unsafe(`DELETE FROM sessions WHERE expires_at <= $1`, [nowSeconds()]);
    const id = newId();
    // Only for an enabled account, in the same statement: a sign-in racing an operator's disable opens nothing.
    const inserted = await this.sql.unsafe(
      `INSERT INTO sessions (id, user_id, created_at, expires_at) SELECT $1, $2, $3, $4 WHERE EXISTS (SELECT 1 FROM users u WHERE u.id = $2 AND ${ENABLED})`,
      [id, userId, nowIso(), expiresAt],
    );
    return inserted.count === 1 ? id : null;
  }

  async isActive(sessionId: string, userId: string): Promise<boolean> {
    const rows = await this.sql.unsafe(
      `SELECT 1 FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = $1 AND s.user_id = $2 AND s.revoked_at IS NULL AND s.expires_at > $3 AND ${ENABLED}`,
      [sessionId, userId, nowSeconds()],
    );
    return rows.length > 0;
  }

  async revoke(sessionId: string): Promise<void> {
    await this.sql.unsafe(`UPDATE sessions SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL`, [nowIso(), sessionId]);
  }

  async revokeAllOf(userId: string): Promise<void> {
    await this.sql.unsafe(`UPDATE sessions SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL AND expires_at > $3`, [nowIso(), userId, nowSeconds()]);
  }
}
