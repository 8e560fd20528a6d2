import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Every module that emits events has this table in its own database and writes to it in the
 * same transaction as the change; the relay publishes it. `seq` keeps publication in write order.
 */
export const outbox = sqliteTable(
  "outbox",
  {
    seq: integer("seq").primaryKey({ autoIncrement: true }),
    id: text("id").notNull().unique(),
    type: text("type").notNull(),
    aggregateType: text("aggregate_type").notNull(),
    aggregateId: text("aggregate_id").notNull(),
    payload: text("payload").notNull(),
    occurredAt: text("occurred_at").notNull(),
    traceparent: text("traceparent"),
    publishedAt: text("published_at"),
  },
  (t) => [index("outbox_unpublished").on(t.publishedAt, t.seq)],
);

/** The inbox: event ids a consumer group has already handled, so a redelivery changes nothing. */
export const processedEvents = sqliteTable(
  "processed_events",
  {
    consumer: text("consumer").notNull(),
    eventId: text("event_id").notNull(),
    processedAt: text("processed_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.consumer, t.eventId] })],
);
