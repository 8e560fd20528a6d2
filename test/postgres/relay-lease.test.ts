// The relay lease on PostgreSQL (a session-level advisory lock on a connection of its own): one
// holder per module schema; a holder whose connection the server ends (as when its process dies, or
// an operator terminates it) finds out at its next confirmation and the other takes over; a stop
// hands it over at once.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { SQL } from "bun";
import { SessionLocks } from "../../src/platform/db/postgres/session-locks";
import { PostgresRelayLease } from "../../src/platform/events/relay-lease.postgres";
import { createLogger } from "../../src/platform/logger";
import { freshDatabase, POSTGRES_START_TIMEOUT_MS } from "../support/postgres";

let url: string;
let admin: SQL;
const opened: SessionLocks[] = [];
beforeAll(async () => {
  url = await freshDatabase("relay_lease");
  admin = new SQL({ url, max: 1 });
}, POSTGRES_START_TIMEOUT_MS);
afterAll(async () => {
  for (const l of opened) await l.close();
  await admin?.close();
});

const replica = (name: string, schema = "catalog") => {
  const locks = new SessionLocks(url, `lease-test ${name}`);
  opened.push(locks);
  return new PostgresRelayLease(locks, schema, createLogger("silent"));
};

test("one holder per schema; the other takes over when the holder's connection ends, or when it releases", async () => {
  const [a, b] = [replica("a"), replica("b")];
  expect(await a.acquire()).toBe(true);
  expect(await b.acquire()).toBe(false);
  expect(await replica("other-module", "order").acquire()).toBe(true); // another module's lease is its own

  // The server ends a's connection (what a SIGKILL of its process does); b, retrying as a follower does, takes over.
  await admin`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'lease-test a'`;
  let tries = 0;
  while (!(await b.acquire()) && ++tries < 50) await Bun.sleep(100); // the backend exits a moment after the signal
  expect(tries).toBeLessThan(50);
  await Bun.sleep(300); // past a's confirmation interval: it asks the server again
  expect(await a.acquire()).toBe(false); // reconnected as a new session, which holds nothing; b holds it

  await b.release();
  expect(await a.acquire()).toBe(true);
  expect(await b.acquire()).toBe(false);
});
