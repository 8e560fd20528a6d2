import { Database } from "bun:sqlite";
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as schema from "../../src/modules/payment/schema";
import { openModuleDatabase } from "../../src/platform/db/open-database";
import { keep, undo } from "../../src/platform/db/unit-of-work";
import { SqliteUnitOfWork } from "../../src/platform/db/unit-of-work.sqlite";
import { SqliteOutbox } from "../../src/platform/events/outbox.sqlite";
import { repoRoot } from "../support/processes";

// The module kit's unit of work on a real SQLite file (a module's database with its outbox):
// a unit's rows and the events it raises commit together or not at all, and the relay hears of
// the events only once they are on disk.

let dir: string;
let database: ReturnType<typeof openModuleDatabase>;
let outbox: SqliteOutbox;
let units: SqliteUnitOfWork;
/** A second connection: it sees only what committed. */
let reader: Database;
const heard: string[] = [];

const event = (id: string) => ({ type: "thing.happened", aggregateType: "thing", aggregateId: id, payload: { id } });
const rows = () => reader.query<{ v: string }, []>("SELECT v FROM scratch ORDER BY v").all().map((r) => r.v);
const outboxRows = () => reader.query<{ aggregate_id: string }, []>("SELECT aggregate_id FROM outbox ORDER BY seq").all().map((r) => r.aggregate_id);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "unit-of-work-"));
  database = openModuleDatabase(dir, "payment", schema, join(repoRoot, "src", "modules", "payment", "migrations"));
  database.sqlite.run("CREATE TABLE scratch (v TEXT NOT NULL)");
  outbox = new SqliteOutbox(database.sqlite);
  outbox.committed.listen(() => {
    for (const entry of outbox.committed.takeAfter(heard.length, 100) ?? []) heard.push(entry.event.aggregateId);
  });
  units = new SqliteUnitOfWork(database.sqlite, outbox, "payment");
  reader = new Database(join(dir, "payment.sqlite"), { readonly: true });
});

afterAll(() => {
  reader.close();
  database.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("unit of work (SQLite)", () => {
  test("a kept unit's rows and events commit together, and the relay hears of the events after the commit", async () => {
    const result = await units.run((tx) => {
      tx.run("INSERT INTO scratch (v) VALUES ('a')");
      return keep("kept", [event("a")]);
    });
    expect(result).toBe("kept");
    // Resolved inside the turn's batch: atomic, not yet on disk, and nobody told.
    expect(rows()).toEqual([]);
    expect(heard).toEqual([]);

    await units.writesOnDisk();
    expect(rows()).toEqual(["a"]);
    expect(outboxRows()).toEqual(["a"]);
    expect(heard).toEqual(["a"]);
  });

  test("an undone unit writes nothing and raises nothing, still answers, and leaves the other units of its batch alone", async () => {
    const [kept, refused] = await Promise.all([
      units.run((tx) => {
        tx.run("INSERT INTO scratch (v) VALUES ('b')");
        return keep("b", [event("b")]);
      }),
      units.run((tx) => {
        tx.run("INSERT INTO scratch (v) VALUES ('refused')");
        return undo({ ok: false });
      }),
    ]);
    expect(kept).toBe("b");
    expect(refused).toEqual({ ok: false });
    await units.writesOnDisk();
    expect(rows()).toEqual(["a", "b"]);
    expect(outboxRows()).toEqual(["a", "b"]);
    expect(heard).toEqual(["a", "b"]);
  });

  test("a unit that throws writes nothing and the caller gets the error", async () => {
    await expect(
      units.run((tx) => {
        tx.run("INSERT INTO scratch (v) VALUES ('thrown')");
        throw new Error("refused half-way");
      }),
    ).rejects.toThrow("refused half-way");
    await units.writesOnDisk();
    expect(rows()).toEqual(["a", "b"]);
    expect(outboxRows()).toEqual(["a", "b"]);
  });

  test("a SQLite unit cannot await: an async unit is refused and writes nothing", async () => {
    const asyncWork = (async (tx: Database) => {
      tx.run("INSERT INTO scratch (v) VALUES ('async')");
      return keep("never");
    }) as unknown as (tx: Database) => ReturnType<typeof keep<string>>;
    await expect(units.run(asyncWork)).rejects.toThrow("SQLite units are synchronous");
    await units.writesOnDisk();
    expect(rows()).toEqual(["a", "b"]);
  });

  test("events from a module without an outbox are refused, with its rows", async () => {
    const noOutbox = new SqliteUnitOfWork(database.sqlite, undefined, "quiet");
    await expect(
      noOutbox.run((tx) => {
        tx.run("INSERT INTO scratch (v) VALUES ('quiet')");
        return keep(1, [event("quiet")]);
      }),
    ).rejects.toThrow("quiet has no outbox");
    await units.writesOnDisk();
    expect(rows()).toEqual(["a", "b"]);
  });
});
