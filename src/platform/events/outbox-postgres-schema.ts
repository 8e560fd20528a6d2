import { sql } from "drizzle-orm";
import { bigint, index, integer, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { instant } from "../db/postgres/columns";

/**
 * The outbox on PostgreSQL (the SQLite one is outbox-schema.ts), in every module's own schema
 * (tables are unqualified: the connection's search_path picks the schema). Written in the same
 * transaction as the change it announces.
 *
 * Write order under concurrent transactions: `seq` comes from an identity sequence when the row is
 * inserted, not when it commits, so a relay that reads "seq > last published" can pass over a row
 * whose transaction commits after a later seq was seen, and lose it. Per aggregate, seq does follow
 * commit order, provided each transaction appends an aggregate's events after writing the
 * aggregate's row (its row lock orders the transactions). What a relay can do, for issue 15 (N
 * replicas), and what each needs here:
 *  - claim rows, not a position: `SELECT … WHERE published_at IS NULL ORDER BY seq LIMIT n FOR
 *    UPDATE SKIP LOCKED` in a transaction, publish, set published_at, commit. A row that commits
 *    late is simply claimed later. Several relays may run; to keep per-aggregate order, claim only
 *    an aggregate's oldest unpublished row (NOT EXISTS an earlier unpublished row of the same
 *    aggregate: add an index on (aggregate_type, aggregate_id, seq) WHERE published_at IS NULL).
 *    Uses: published_at and the outbox_unpublished index.
 *  - one active relay per module holding a lease in outbox_relay (lease_holder, lease_until,
 *    renewed while it runs, taken over when it lapses), publishing unpublished rows in seq order and
 *    marking them as above: no claim contention, take-over within one lease.
 *  - a position (published_seq, as on SQLite) is only safe when seq follows commit order, e.g. if
 *    appends are serialized by a transaction-level advisory lock held to commit, which caps a
 *    module's writes at one commit flush at a time.
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
