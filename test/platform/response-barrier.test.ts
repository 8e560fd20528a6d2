// Every HTTP answer waits for the group commit of the writes it may reflect: the answer of a
// request that wrote arrives once another connection can read its rows, and a batch whose
// commit fails is answered with a 500 in the shop's error shape, never with the success it
// was about to report.
import { Database } from "bun:sqlite";
import { afterAll, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { joinCommitBatch } from "../../src/platform/db/group-commit";
import { createHttpApp } from "../../src/platform/http/create-app";
import { createLogger } from "../../src/platform/logger";
import { tempDir } from "../support/processes";

const dir = tempDir("shop-barrier-");
const file = join(dir, "barrier.sqlite");
const db = new Database(file, { create: true, strict: true });
db.run("PRAGMA journal_mode = WAL");
db.run("PRAGMA foreign_keys = ON");
db.run("CREATE TABLE parent (id INTEGER PRIMARY KEY)");
db.run("CREATE TABLE child (parent INTEGER REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED)");
const reader = new Database(file, { readonly: true });
afterAll(() => {
  reader.close();
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const app = createHttpApp({ title: "barrier", log: createLogger("silent"), maxBodyBytes: 1024, readiness: [] })
  .post("/parents/:id", ({ params }) => {
    joinCommitBatch(db, () => db.run("INSERT INTO parent (id) VALUES (?)", [Number(params.id)]));
    return { created: Number(params.id), visibleElsewhere: reader.query("SELECT COUNT(*) AS n FROM parent").get() };
  })
  .post("/orphans", () => {
    joinCommitBatch(db, () => db.run("INSERT INTO child (parent) VALUES (42)")); // the deferred key fails the COMMIT
    return { created: true };
  });

const call = (method: string, path: string) => app.handle(new Request(`http://shop.local${path}`, { method }));

test("an answer that reflects a write leaves only after the write has committed", async () => {
  const res = await call("POST", "/parents/1");
  const committedOnArrival = reader.query("SELECT COUNT(*) AS n FROM parent").get(); // nothing awaited in between
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ created: 1, visibleElsewhere: { n: 0 } }); // not yet committed when the handler returned
  expect(committedOnArrival).toEqual({ n: 1 });
});

test("a batch whose commit fails answers 500 in the error shape, and nothing of it is kept", async () => {
  const res = await call("POST", "/orphans");
  expect(res.status).toBe(500);
  expect(await res.json()).toEqual({ error: { code: "INTERNAL", message: "Internal server error" } });
  expect(reader.query("SELECT COUNT(*) AS n FROM child").get()).toEqual({ n: 0 });
});
