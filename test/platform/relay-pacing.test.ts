// The relay's pacing (EventBus.busyPublishIntervalMs) on a real module database: while commits
// keep coming, one publish carries several commits' events instead of one publish per commit;
// a relay that was idle still publishes at once. Every event is delivered once, in write order.
import { afterAll, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { openModuleDatabase } from "../../src/platform/db/open-database";
import { joinCommitBatch, writesOnDisk } from "../../src/platform/db/group-commit";
import type { DomainEvent, EventBus } from "../../src/platform/events/event";
import { OutboxRelay } from "../../src/platform/events/outbox-relay";
import { SqliteOutbox } from "../../src/platform/events/outbox.sqlite";
import * as schema from "../../src/modules/payment/schema";
import { createLogger } from "../../src/platform/logger";
import { tempDir } from "../support/processes";

const log = createLogger("silent");
const MIGRATIONS = join(import.meta.dir, "..", "..", "src", "modules", "payment", "migrations");
const dir = tempDir("shop-relay-pacing-");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A bus that records each publish (as a Kafka produce request would be one). */
class RecordingBus implements EventBus {
  readonly name = "recording";
  readonly publishes: Array<{ at: number; events: DomainEvent[] }> = [];
  constructor(readonly busyPublishIntervalMs: number) {}
  async publish(events: DomainEvent[]) {
    this.publishes.push({ at: performance.now(), events });
  }
  subscribe() {}
  async start() {}
  async stop() {}
}

function setup(name: string, intervalMs: number) {
  const database = openModuleDatabase(join(dir, name), "payment", schema, MIGRATIONS);
  const outbox = new SqliteOutbox(database.sqlite);
  const bus = new RecordingBus(intervalMs);
  const relay = new OutboxRelay(outbox, bus, log, { idleMs: 1000 });
  let n = 0;
  const commitOne = async () => {
    joinCommitBatch(database.sqlite, () => outbox.append([{ type: "thing.happened", aggregateType: "thing", aggregateId: `a${n % 3}`, payload: { n: n++ } }]));
    await writesOnDisk();
  };
  return { database, relay, bus, commitOne, count: () => n };
}

const delivered = (bus: RecordingBus) => bus.publishes.flatMap((p) => p.events.map((e) => (e.payload as { n: number }).n));

test("commits arriving back to back share publishes; every event once, in order", async () => {
  const s = setup("busy", 50);
  s.relay.start();
  await Bun.sleep(20); // the start-up drain
  // 60 commits, one every ~5 ms: 300 ms of steady writes.
  for (let i = 0; i < 60; i++) {
    await s.commitOne();
    await Bun.sleep(5);
  }
  const deadline = Date.now() + 5000;
  while (delivered(s.bus).length < 60 && Date.now() < deadline) await Bun.sleep(10);
  expect(delivered(s.bus)).toEqual(Array.from({ length: 60 }, (_, i) => i));
  // Without pacing each commit (its own event-loop turn here) was its own publish: 60.
  expect(s.bus.publishes.length).toBeLessThan(20);
  // No two publishes closer than the interval (a timer may fire a millisecond early).
  const gaps = s.bus.publishes.slice(1).map((p, i) => p.at - s.bus.publishes[i]!.at);
  expect(Math.min(...gaps)).toBeGreaterThanOrEqual(45);
  await s.relay.stop();
  s.database.close();
});

test("after a quiet spell the first commit is published at once, not after the interval", async () => {
  const s = setup("idle", 300);
  s.relay.start();
  await Bun.sleep(400); // longer than the interval since the start-up drain
  await s.commitOne();
  const started = performance.now();
  while (delivered(s.bus).length < 1 && performance.now() - started < 3000) await Bun.sleep(2);
  expect(delivered(s.bus)).toEqual([0]);
  expect(performance.now() - started).toBeLessThan(150); // well inside the 300 ms interval
  await s.relay.stop();
  s.database.close();
});
