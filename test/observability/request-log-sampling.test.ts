// The info request log at its default cost: every failed or slow request gets its line, the fast
// successful rest one in LOG_REQUEST_SAMPLE, marked with how many it stands for. A real all-in-one
// process on loopback, its stdout read back; the sampler's rule itself checked directly.
import { afterAll, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { requestLogSampler } from "../../src/platform/http/request-log-sampling";
import { startEntrypoint, type ServerProcess } from "../support/processes";

let shop: ServerProcess | undefined;
afterAll(async () => {
  await shop?.stop();
  if (shop) rmSync(shop.dataDir, { recursive: true, force: true });
});

const requestLines = (output: string) =>
  output
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as { msg: string; path?: string; status?: number; sampled?: number })
    .filter((l) => l.msg === "request");

test("fast successes are sampled one in LOG_REQUEST_SAMPLE, every failure is logged", async () => {
  shop = await startEntrypoint("all.ts", { LOG_LEVEL: "info", LOG_REQUEST_SAMPLE: "5", SEED_CATALOG: "false", WEB_DIST: "" }, { readyTimeoutMs: 60_000 });
  const before = requestLines(shop.output()).length; // the readiness polls of the start-up
  for (let i = 0; i < 50; i++) expect((await fetch(`${shop.url}/health/live`)).status).toBe(200);
  for (let i = 0; i < 7; i++) expect((await fetch(`${shop.url}/api/products/0190aaaa-0000-7000-8000-00000000000${i}`)).status).toBe(404);
  const deadline = Date.now() + 10_000;
  const wanted = (lines: ReturnType<typeof requestLines>) => lines.filter((l) => l.status === 404).length === 7;
  while (!wanted(requestLines(shop.output())) && Date.now() < deadline) await Bun.sleep(50);

  const lines = requestLines(shop.output()).slice(before);
  const failures = lines.filter((l) => l.status === 404);
  expect(failures).toHaveLength(7);
  expect(failures.every((l) => l.sampled === undefined)).toBe(true);
  const live = lines.filter((l) => l.path === "/health/live");
  // 50 fast successes (and the start-up's few) at one in five: 10 or 11 lines, each standing for 5.
  expect(live.length).toBeGreaterThanOrEqual(10);
  expect(live.length).toBeLessThanOrEqual(11);
  expect(live.every((l) => l.sampled === 5)).toBe(true);
}, 120_000);

test("the sampler keeps every failure and every slow request, one in N of the rest", () => {
  const sample = requestLogSampler({ every: 4, slowMs: 100 });
  const fast = Array.from({ length: 12 }, () => sample(200, 3));
  expect(fast).toEqual([undefined, undefined, undefined, 4, undefined, undefined, undefined, 4, undefined, undefined, undefined, 4]);
  expect(sample(500, 1)).toBe(1);
  expect(sample(404, 1)).toBe(1);
  expect(sample(200, 100)).toBe(1);
  expect(sample(201, 250)).toBe(1);
  const every = requestLogSampler({ every: 1, slowMs: 100 });
  expect([every(200, 1), every(200, 1)]).toEqual([1, 1]);
});
