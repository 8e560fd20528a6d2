import type { Database } from "bun:sqlite";
import { SqliteTable } from "../db/table.sqlite";
import { newId, nowIso } from "../ids";
import type { SessionRepository } from "./session-repository";
import { sessions, users } from "./users-schema";

const s = new SqliteTable(sessions);
const u = new SqliteTable(users);
const nowSeconds = () => Math.floor(Date.now() / 1000);

/** SessionRepository on bun:sqlite: single statements, each its own (autocommitted) transaction. */
export class SqliteSessionRepository implements SessionRepository {
  private readonly insert;
  private readonly active;
  private readonly revokeOne;
  private readonly revokeUser;
  private readonly purge;
  private opened = 0;

  constructor(sqlite: Database) {
    const enabled = `${u.column("disabledAt")} IS NULL`;
    // Only for an enabled account, in the same statement: a sign-in racing an operator's disable opens nothing.
    this.insert = sqlite.query<never, [string, string, string, number]>(
      `INSERT INTO ${s.name} (${(["id", "userId", "createdAt", "expiresAt"] as const).map((k) => s.column(k)).join(", ")}) ` +
        `SELECT ?1, ?2, ?3, ?4 WHERE EXISTS (SELECT 1 FROM ${u.name} WHERE ${u.column("id")} = ?2 AND ${enabled})`,
    );
    this.active = sqlite.query<{ live: number }, [string, string, number]>(
      `SELECT 1 AS live FROM ${s.name} JOIN ${u.name} ON ${u.name}.${u.column("id")} = ${s.name}.${s.column("userId")}
       WHERE ${s.name}.${s.column("id")} = ? AND ${s.name}.${s.column("userId")} = ? AND ${s.column("revokedAt")} IS NULL
         AND ${s.column("expiresAt")} > ? AND ${enabled}`,
    );
    this.revokeOne = sqlite.query<never, [string, string]>(`UPDATE ${s.name} SET ${s.column("revokedAt")} = ? WHERE ${s.column("id")} = ? AND ${s.column("revokedAt")} IS NULL`);
    this.revokeUser = sqlite.query<never, [string, string, number]>(
      `UPDATE ${s.name} SET ${s.column("revokedAt")} = ? WHERE ${s.column("userId")} = ? AND ${s.column("revokedAt")} IS NULL AND ${s.column("expiresAt")} > ?`,
    );
    this.purge = sqlite.query<never, [number]>(`DELETE FROM ${s.name} WHERE ${s.column("expiresAt")} <= ?`);
  }

  async open(userId: string, expiresAt: number): Promise<string | null> {
    // Expired rows are of no use to anyone: cleared now and then, as sign-ins come.
    if (++this.opened % 500 === 0) this.purge.run(nowSeconds());
    const id = newId();
    return this.insert.run(id, userId, nowIso(), expiresAt).changes === 1 ? id : null;
  }

  isActive(sessionId: string, userId: string): boolean {
    return this.active.get(sessionId, userId, nowSeconds()) !== null;
  }

  async revoke(sessionId: string): Promise<void> {
    this.revokeOne.run(nowIso(), sessionId);
  }

  async revokeAllOf(userId: string): Promise<void> {
    this.revokeUser.run(nowIso(), userId, nowSeconds());
  }
}
