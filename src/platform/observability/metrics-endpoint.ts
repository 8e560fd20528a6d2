import { renderHttpMetrics } from "./http-metrics";
import { registry } from "./metrics";

/** The Prometheus text of GET /metrics: the process's registry and the HTTP request metrics. */
export async function metricsText(): Promise<string> {
  const text = await registry.metrics();
  return `${text}${text.endsWith("\n") ? "" : "\n"}${renderHttpMetrics()}`;
}

export const METRICS_CONTENT_TYPE = registry.contentType;
