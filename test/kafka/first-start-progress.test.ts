import { afterAll, expect, test } from "bun:test";
import { cpSync, existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { prepareKafka } from "../../scripts/kafka/broker.ts";
import { repoRoot, tempDir } from "../support/processes";

// Kafka's first start downloads its jars from Maven Central: it says so, and shows each jar and a
// running total, instead of a minute of silence. A copy of the Maven cache without Kafka's own jars
// makes this a real download of ~17 MB (Maven Central), not the whole 70.
const cacheDir = tempDir("shop-kafka-cache-");
afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));

test("a first start names what it downloads, jar by jar, with a running total", async () => {
  const shared = join(repoRoot, ".cache", "m2");
  if (existsSync(shared)) cpSync(shared, join(cacheDir, "m2"), { recursive: true });
  rmSync(join(cacheDir, "m2", "org", "apache", "kafka"), { recursive: true, force: true });

  const messages: string[] = [];
  const classpath = await prepareKafka({ cacheDir, log: (m) => messages.push(m) });

  expect(messages[0]).toStartWith("first start: downloading Apache Kafka 3.9.1 and its dependencies from Maven Central");
  const jarLines = messages.filter((m) => m.startsWith("downloaded "));
  expect(jarLines.some((m) => /^downloaded kafka-clients-3\.9\.1\.jar \([\d.]+ MB\): \d+ jars, [\d.]+ MB so far$/.test(m))).toBe(true);
  expect(jarLines.length).toBeGreaterThanOrEqual(5);
  expect(messages.at(-1)).toMatch(/^downloads done: \d+ files, [\d.]+ MB$/);
  // The classpath points into this cache, and the next start finds it without a word.
  expect(classpath.split(":").filter((jar) => jar.includes("/org/apache/kafka/")).every((jar) => jar.startsWith(cacheDir))).toBe(true);
  expect(readFileSync(join(cacheDir, "kafka", "classpath.txt"), "utf8").trim()).toBe(classpath);
  const again: string[] = [];
  expect(await prepareKafka({ cacheDir, log: (m) => again.push(m) })).toBe(classpath);
  expect(again).toEqual([]);
}, 180_000);
