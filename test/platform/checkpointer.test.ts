// WAL checkpoints happen off the request thread: a module database's committed writes reach the
// database file itself through the background Worker within a few of its 100 ms rounds, while the
// writing connection would only step in at 50,000 WAL frames.
import { afterAll, expect, test } from "bun:test";
import { rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { openModuleDatabase } from "../../src/platform/db/open-database";
import { writesOnDisk, joinCommitBatch } from "../../src/platform/db/group-commit";
import * as schema from "../../src/modules/payment/schema";
import { tempDir } from "../support/processes";

const dir = tempDir("shop-checkpointer-");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("the background checkpointer copies committed WAL frames into the database file", async () => {
  const database = openModuleDatabase(dir, "payment", schema, join(import.meta.dir, "..", "..", "src", "modules", "payment", "migrations"));
  const { sqlite, path } = database;
  const insert = sqlite.prepare("INSERT INTO processed_events (consumer, event_id, processed_at) VALUES ('test', ?, ?)");
  joinCommitBatch(sqlite, () => {
    for (let i = 0; i < 300; i++) insert.run(`event-${i}`, new Date().toISOString());
  });
  await writesOnDisk();
  const pages = () => sqlite.query<{ page_count: number }, []>("PRAGMA page_count").get()!.page_count; // as this connection sees it, WAL included
  const pageSize = sqlite.query<{ page_size: number }, []>("PRAGMA page_size").get()!.page_size;
  expect(statSync(`${path}-wal`).size).toBeGreaterThan(0);

  // The file on disk holds every page once the worker has copied the WAL back. Bounded: 3 s.
  const deadline = Date.now() + 3000;
  while (statSync(path).size < pages() * pageSize && Date.now() < deadline) await Bun.sleep(50);
  expect(statSync(path).size).toBe(pages() * pageSize);
  database.close();
});
