import { sql } from "drizzle-orm";
import { bigint, index, integer, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { instant } from "../db/postgres/columns";

/**
 * The outbox on PostgreSQL (the SQLite one is outbox-schema.ts), in every module's own schema
 * (tables are unqualified: the connection's search_path picks the schema). Written in the same
 * transaction as the change it announces.
 *
 * Write order under concurrent transactions: `seq` comes from an identity sequence when the row is
 * inserted, not when it commits. The relay therefore marks the rows it published (published_at)
 * rather than keeping a position, so a row that commits late is published late, never skipped; and
 * each append takes its aggregates' transaction-level advisory locks first (outbox.postgres.ts), so
 * per aggregate seq order is commit order. With several replicas one relay per module publishes,
 * holding a lease that is a session-level advisory lock (relay-lease.postgres.ts), not the
 * lease_holder / lease_until columns of outbox_relay, which stay unused.
 * Published rows are pruned by the relay after a retention period.
 */
export const outbox = pgTable(
  "outbox",
  {
    seq: bigint("seq", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    id: text("id").notNull(),
    type: text("type").notNull(),
    aggregateType: text("aggregate_type").notNull(),
    aggregateId: text("aggregate_id").notNull(),
    /** The event's payload as JSON text: handed on as written, never queried inside. */
    payload: text("payload").notNull(),
    occurredAt: instant("occurred_at").notNull(),
    traceparent: text("traceparent"),
    /** Set when a relay has published the row (claim or lease relays). */
    publishedAt: instant("published_at"),
  },
  (t) => [index("outbox_unpublished").on(t.seq).where(sql`${t.publishedAt} IS NULL`)],
);

/** The relay's row (id 1): a position for position-based relays, a lease for a single active relay. */
export const outboxRelay = pgTable("outbox_relay", {
  id: integer("id").primaryKey(),
  publishedSeq: bigint("published_seq", { mode: "number" }).notNull().default(0),
  leaseHolder: text("lease_holder"),
  leaseUntil: instant("lease_until"),
});

/** The inbox: event ids a consumer group has already handled, so a redelivery changes nothing. */
export const processedEvents = pgTable(
  "processed_events",
  {
    consumer: text("consumer").notNull(),
    eventId: text("event_id").notNull(),
    processedAt: instant("processed_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.consumer, t.eventId] })],
);
