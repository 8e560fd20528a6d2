import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";

/** The process's Prometheus metrics, served at GET /metrics. */
export const registry = new Registry();
collectDefaultMetrics({ register: registry });

export const httpRequests = new Counter({
  name: "http_requests_total",
  help: "HTTP requests by route, method and status",
  labelNames: ["method", "route", "status"] as const,
  registers: [registry],
});

export const httpDuration = new Histogram({
  name: "http_request_duration_seconds",
  help: "HTTP request latency by route and method",
  labelNames: ["method", "route"] as const,
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  registers: [registry],
});

export const checkoutOutcomes = new Counter({
  name: "shop_checkouts_total",
  help: "Finished checkouts by outcome (paid, payment_failed, out_of_stock)",
  labelNames: ["outcome"] as const,
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

type Child = { inc(): void };
type Timer = { observe(value: number): void };
const requestSeries = new Map<string, { count: Child; duration: Timer }>();

/**
 * Counts one HTTP request. Label children are cached per series: prom-client hashes a label
 * object on every call, which was a visible share of a fast route's cost.
 */
export function recordRequest(method: string, route: string, status: number, seconds: number): void {
  const key = `${method} ${route} ${status}`;
  let series = requestSeries.get(key);
  if (!series) {
    series = { count: httpRequests.labels(method, route, String(status)), duration: httpDuration.labels(method, route) };
    requestSeries.set(key, series);
  }
  series.count.inc();
  series.duration.observe(seconds);
}
