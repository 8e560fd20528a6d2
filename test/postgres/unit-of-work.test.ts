// The PostgreSQL unit of work on a real server (a module's migrated schema with its outbox): a
// unit's rows and events commit together in one transaction or not at all, the relay is nudged
// only once the COMMIT is done, and a unit chosen as a deadlock victim runs again.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { SQL } from "bun";
import { openPostgresDatabase, type PostgresDatabase } from "../../src/platform/db/postgres/open-postgres";
import { keep, undo } from "../../src/platform/db/unit-of-work";
import { PostgresUnitOfWork } from "../../src/platform/db/unit-of-work.postgres";
import { PostgresOutbox } from "../../src/platform/events/outbox.postgres";
import { freshDatabase, POSTGRES_START_TIMEOUT_MS } from "../support/postgres";
import { MODULE_DATABASES } from "./module-databases";

let database: PostgresDatabase;
let sql: SQL;
let outbox: PostgresOutbox;
let units: PostgresUnitOfWork;
/** What another connection saw committed each time the relay was nudged. */
const seenAtNudge: string[][] = [];

const event = (id: string) => ({ type: "thing.happened", aggregateType: "thing", aggregateId: id, payload: { id } });
const rows = async () => ((await sql`SELECT v FROM scratch ORDER BY v`) as Array<{ v: string }>).map((r) => r.v);
const outboxRows = async () => ((await sql`SELECT aggregate_id FROM outbox ORDER BY seq`) as Array<{ aggregate_id: string }>).map((r) => r.aggregate_id);

beforeAll(async () => {
  const folder = MODULE_DATABASES.find((m) => m.module === "payment")!.postgresFolder;
  database = await openPostgresDatabase({ engine: "postgres", url: await freshDatabase("unit_of_work"), variable: "DATABASE_URL", schema: "payment" }, { migrationsFolder: folder, max: 4 });
  sql = database.sql;
  await sql`CREATE TABLE scratch (v text PRIMARY KEY)`;
  outbox = new PostgresOutbox(sql);
  units = new PostgresUnitOfWork(sql, outbox, "payment");
  outbox.committed.listen(() => void outboxRows().then((seen) => seenAtNudge.push(seen)));
}, POSTGRES_START_TIMEOUT_MS);
afterAll(() => database?.close());

describe("unit of work (PostgreSQL)", () => {
  test("a kept unit's rows and events commit together; the relay is nudged after the COMMIT", async () => {
    const result = await units.run(async (tx) => {
      await tx`INSERT INTO scratch (v) VALUES ('a')`;
      return keep("kept", [event("a")]);
    });
    expect(result).toBe("kept");
    // Resolved after its COMMIT: on disk, visible to every connection.
    expect(await rows()).toEqual(["a"]);
    expect(await outboxRows()).toEqual(["a"]);
    await Bun.sleep(50);
    expect(seenAtNudge).toEqual([["a"]]);
  });

  test("an undone unit writes nothing and raises nothing, and still answers", async () => {
    const refused = await units.run(async (tx) => {
      await tx`INSERT INTO scratch (v) VALUES ('refused')`;
      return undo({ ok: false });
    });
    expect(refused).toEqual({ ok: false });
    expect(await rows()).toEqual(["a"]);
    expect(await outboxRows()).toEqual(["a"]);
  });

  test("a unit that throws writes nothing and the caller gets the error", async () => {
    await expect(
      units.run(async (tx) => {
        await tx`INSERT INTO scratch (v) VALUES ('thrown')`;
        throw new Error("refused half-way");
      }),
    ).rejects.toThrow("refused half-way");
    expect(await rows()).toEqual(["a"]);
  });

  test("events from a module without an outbox are refused, with its rows", async () => {
    const quiet = new PostgresUnitOfWork(sql, undefined, "quiet");
    await expect(
      quiet.run(async (tx) => {
        await tx`INSERT INTO scratch (v) VALUES ('quiet')`;
        return keep(1, [event("quiet")]);
      }),
    ).rejects.toThrow("quiet has no outbox");
    expect(await rows()).toEqual(["a"]);
  });

  test("two units locking the same rows in opposite orders: the deadlock victim runs again, both end kept", async () => {
    await sql`INSERT INTO scratch (v) VALUES ('x'), ('y')`;
    let runs = 0;
    const both = Promise.withResolvers<void>();
    let holding = 0;
    const lockBoth = (first: string, second: string) =>
      units.run(async (tx) => {
        runs++;
        await tx`UPDATE scratch SET v = v WHERE v = ${first}`;
        if (++holding === 2) both.resolve();
        await both.promise; // each holds its first row before asking for the other's
        await tx`UPDATE scratch SET v = v WHERE v = ${second}`;
        return keep(first);
      });
    expect((await Promise.all([lockBoth("x", "y"), lockBoth("y", "x")])).sort()).toEqual(["x", "y"]);
    expect(runs).toBe(3); // the victim's second run waits for the survivor's COMMIT
  });
});
