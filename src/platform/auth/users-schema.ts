import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** Usernames are stored lower-cased (migration 0002): `ALICE` and `alice` are one account. */
export const users = sqliteTable("users", {
  id: text("id").primaryKey(),
  username: text("username").notNull().unique(),
  passwordHash: text("password_hash").notNull(),
  role: text("role", { enum: ["customer", "operator"] }).notNull(),
  createdAt: text("created_at").notNull(),
  /** Set by an operator: the account cannot sign in and its sessions were revoked. */
  disabledAt: text("disabled_at"),
});

/** One row per token handed out at sign-in (the token's `jti`); a token is live only while its row is. */
export const sessions = sqliteTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    userId: text("user_id").notNull(),
    createdAt: text("created_at").notNull(),
    /** The token's `exp` (seconds since the epoch): past it, the row is only kept until purged. */
    expiresAt: integer("expires_at").notNull(),
    revokedAt: text("revoked_at"),
  },
  (t) => [index("sessions_user_id").on(t.userId), index("sessions_expires_at").on(t.expiresAt)],
);
