// The identity database's tables on PostgreSQL (users-schema.ts holds the SQLite ones), in the
// schema "identity".
import { bigint, index, pgTable, text } from "drizzle-orm/pg-core";
import { instant } from "../db/postgres/columns";

/** The sign-in and registration throttles' counts, shared by every process on this database. */
export { rateLimits } from "../throttling/rate-limits-postgres-schema";

/** Usernames are stored lower-cased: `ALICE` and `alice` are one account. */
export const users = pgTable("users", {
  id: text("id").primaryKey(),
  username: text("username").notNull().unique(),
  passwordHash: text("password_hash").notNull(),
  role: text("role", { enum: ["customer", "operator"] }).notNull(),
  createdAt: instant("created_at").notNull(),
  /** Set by an operator: the account cannot sign in and its sessions were revoked. */
  disabledAt: instant("disabled_at"),
});

/** One row per token handed out at sign-in (the token's `jti`); a token is live only while its row is. */
export const sessions = pgTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    userId: text("user_id").notNull(),
    createdAt: instant("created_at").notNull(),
    /** The token's `exp` (seconds since the epoch); int8, so Bun returns it as a string. */
    expiresAt: bigint("expires_at", { mode: "number" }).notNull(),
    revokedAt: instant("revoked_at"),
  },
  (t) => [index("sessions_user_id").on(t.userId), index("sessions_expires_at").on(t.expiresAt)],
);
