import { collectDefaultMetrics, Counter, Gauge, Registry } from "prom-client";

/** The process's Prometheus metrics, served at GET /metrics (with the HTTP ones of http-metrics.ts). */
export const registry = new Registry();
// The event-loop lag histogram samples every 100 ms, not prom-client's 10: a 10 ms timer wakes an idle
// process 100 times a second (0.7% of a core measured against 0.3%, in every process of the split shop).
collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 100 });

export const checkoutOutcomes = new Counter({
  name: "shop_checkouts_total",
  help: "Finished checkouts by outcome (paid, payment_failed, out_of_stock)",
  labelNames: ["outcome"] as const,
  registers: [registry],
});

export const throttledRequests = new Counter({
  name: "shop_throttled_total",
  help: "Requests refused with 429 by a throttling rule (sign-in, registration, declined payments)",
  labelNames: ["rule"] as const,
  registers: [registry],
});

export const kafkaPublishErrors = new Counter({
  name: "shop_kafka_publish_errors_total",
  help: "Batches the Kafka producer failed to publish (kept in the outbox and retried)",
  registers: [registry],
});

export const sqliteBusyRetries = new Counter({
  name: "shop_sqlite_busy_retries_total",
  help: "Transactions retried because SQLite reported the database busy",
  labelNames: ["database"] as const,
  registers: [registry],
});

const outboxBacklog = new Gauge({
  name: "shop_outbox_backlog",
  help: "Events written but not yet published, per module",
  labelNames: ["module"] as const,
  registers: [registry],
  collect() {
    this.reset(); // a module that stopped drops out instead of keeping its last value
    for (const [module, relay] of relays) this.set({ module }, relay.backlog());
  },
});

const outboxLag = new Gauge({
  name: "shop_outbox_lag_seconds",
  help: "Age of the oldest unpublished event, per module",
  labelNames: ["module"] as const,
  registers: [registry],
  collect() {
    this.reset();
    for (const [module, relay] of relays) this.set({ module }, relay.lagMs() / 1000);
  },
});

const relays = new Map<string, { backlog(): number; lagMs(): number }>();

/** Makes a module's outbox visible in the backlog and lag gauges; call the returned function before closing its database. */
export function watchOutbox(module: string, relay: { backlog(): number; lagMs(): number }): () => void {
  relays.set(module, relay);
  return () => {
    if (relays.get(module) === relay) relays.delete(module);
  };
}

export { outboxBacklog, outboxLag };

export const uncaughtErrors = new Counter({
  name: "shop_uncaught_errors_total",
  help: "Errors no handler caught (after a response, in a timer...); logged, and the process kept serving",
  registers: [registry],
});
