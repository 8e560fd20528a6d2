// The HTTP request metrics kept outside prom-client: what a scrape reads back is one counter per
// method, route and status, and a histogram per method and route whose buckets are cumulative,
// end at +Inf with the count, and whose label values are escaped as the text format requires.
import { expect, test } from "bun:test";
import { recordRequest, renderHttpMetrics } from "../../src/platform/observability/http-metrics";

// name{labels} value, labels as the Prometheus text format (0.0.4) allows them.
const SAMPLE = /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[a-zA-Z_][a-zA-Z0-9_]*="(?:\\.|[^"\\])*"(?:,[a-zA-Z_][a-zA-Z0-9_]*="(?:\\.|[^"\\])*")*\})? -?(?:\d+(?:\.\d+)?(?:e[+-]?\d+)?)$/;

test("requests are counted per status and timed per route, in the Prometheus text format", () => {
  const route = `/test/${crypto.randomUUID()}`;
  recordRequest("GET", route, 200, 0.0004);
  recordRequest("GET", route, 200, 0.003);
  recordRequest("GET", route, 404, 7);
  const text = renderHttpMetrics();
  const lines = text.trimEnd().split("\n");
  for (const line of lines) if (!line.startsWith("#")) expect(line).toMatch(SAMPLE);
  expect(text.endsWith("\n")).toBe(true);

  const sample = (prefix: string) => lines.filter((l) => l.startsWith(prefix) && l.includes(`route="${route}"`)).map((l) => l.slice(l.lastIndexOf(" ") + 1));
  expect(lines.filter((l) => l.startsWith("http_requests_total{") && l.includes(route))).toEqual([
    `http_requests_total{method="GET",route="${route}",status="200"} 2`,
    `http_requests_total{method="GET",route="${route}",status="404"} 1`,
  ]);
  // 0.001 2.5: cumulative per bucket; 7 s is past the last bound, counted only under +Inf.
  expect(sample("http_request_duration_seconds_bucket").map(Number)).toEqual([1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 3]);
  expect(lines).toContain(`http_request_duration_seconds_bucket{le="+Inf",method="GET",route="${route}"} 3`);
  expect(Number(sample("http_request_duration_seconds_sum")[0])).toBeCloseTo(7.0034, 6);
  expect(sample("http_request_duration_seconds_count")).toEqual(["3"]);
  expect(lines.filter((l) => l === "# TYPE http_request_duration_seconds histogram")).toHaveLength(1);
});

test("label values are escaped", () => {
  recordRequest("GET", 'odd "route" \\ with\nnewline', 500, 0.01);
  const line = renderHttpMetrics().split("\n").find((l) => l.startsWith("http_requests_total{") && l.includes("odd"))!;
  expect(line).toBe('http_requests_total{method="GET",route="odd \\"route\\" \\\\ with\\nnewline",status="500"} 1');
  expect(line).toMatch(SAMPLE);
});
