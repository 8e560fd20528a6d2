import { integer, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { instant } from "../db/postgres/columns";

/**
 * Throttle windows shared by a database's replicas (PostgresRateLimiter): one row per rule and key,
 * counted with one upsert. In the database of whoever throttles (identity: sign-in and registration;
 * order: declined payments). PostgreSQL only: on SQLite a database serves one process, whose
 * memory counts (memory-rate-limiter.ts).
 */
export const rateLimits = pgTable(
  "rate_limits",
  {
    rule: text("rule").notNull(),
    key: text("key").notNull(),
    count: integer("count").notNull(),
    closesAt: instant("closes_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.rule, t.key] })],
);
