import { integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Every module that emits events has this table in its own database and writes to it in the
 * same transaction as the change; the relay publishes it. `seq` keeps publication in write order
 * and is never reused (AUTOINCREMENT), which is what lets the relay keep a single position.
 * `id` is a UUIDv7 made at append time; consumers dedupe by it, so no index guards it here.
 */
export const outbox = sqliteTable("outbox", {
  seq: integer("seq").primaryKey({ autoIncrement: true }),
  id: text("id").notNull(),
  type: text("type").notNull(),
  aggregateType: text("aggregate_type").notNull(),
  aggregateId: text("aggregate_id").notNull(),
  payload: text("payload").notNull(),
  occurredAt: text("occurred_at").notNull(),
  traceparent: text("traceparent"),
});

/**
 * How far the relay has published: one row (id 1). Moving one number per drain, instead of
 * stamping every published row and its index entry, keeps a drain to one small write.
 */
export const outboxRelay = sqliteTable("outbox_relay", {
  id: integer("id").primaryKey(),
  publishedSeq: integer("published_seq").notNull(),
});

/**
 * The inbox: event ids a consumer group has already handled, so a redelivery changes nothing.
 * The cart's (the one in use) is a WITHOUT ROWID table since its migration 0003.
 */
export const processedEvents = sqliteTable(
  "processed_events",
  {
    consumer: text("consumer").notNull(),
    eventId: text("event_id").notNull(),
    processedAt: text("processed_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.consumer, t.eventId] })],
);
