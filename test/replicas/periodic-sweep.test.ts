// The periodic recovery sweep is an operator setting (CHECKOUT_SWEEP_EVERY_MS, CHECKOUT_SWEEP_AFTER_MS):
// a replica started with a short sweep settles the half-done checkout of a replica killed mid-checkout
// by itself, while it runs, without any restart. With the old fixed sweep (every 30 s, orders untouched
// for 2 minutes) the order would still be PENDING when the bounded wait below gives up.
import { afterAll, expect, test } from "bun:test";
import { DEMO } from "../support/http-client";
import { freshModuleDatabases, POSTGRES_START_TIMEOUT_MS } from "../support/postgres";
import { startEntrypoint, type ServerProcess } from "../support/processes";
import { CARDS, Shop } from "../support/shop";
import { eventually } from "../support/sse";

const running: ServerProcess[] = [];
afterAll(async () => {
  for (const s of running) if (s.proc.exitCode === null) await s.kill();
}, 30_000);

test("a replica with a 1 s sweep settles another replica's orphaned checkout within seconds, without a restart", async () => {
  const env = { ...(await freshModuleDatabases("periodic_sweep")), LOG_LEVEL: "info", CHECKOUT_SWEEP_EVERY_MS: "1000", CHECKOUT_SWEEP_AFTER_MS: "1000" };
  const start = (extra: Record<string, string> = {}) => startEntrypoint("all.ts", { ...env, ...extra }, { readyTimeoutMs: 60_000 });
  const steady = await start();
  running.push(steady);
  const doomed = await start({ SEED_CATALOG: "false", CRASH_AT: "checkout.after-reserve" });
  running.push(doomed);

  // A checkout through the doomed replica: killed with the stock reserved and the order PENDING.
  const shop = await Shop.connect(steady.url);
  const productId = await shop.product(5);
  const viaDoomed = await Shop.connect(doomed.url);
  const alice = await viaDoomed.anon.login("alice", DEMO.alice);
  await viaDoomed.addToCart(alice, productId, 2);
  await viaDoomed.checkout(alice, CARDS.ok, crypto.randomUUID()).catch(() => undefined);
  expect(await doomed.proc.exited).not.toBe(0);
  const orphanedAt = Date.now();

  // The steady replica, never restarted, settles it on a periodic sweep: its start-up sweep ran before the order existed.
  await eventually(async () => expect((await shop.allOrders()).map((o) => o.status)).toEqual(["CANCELLED"]), 15_000);
  expect(await shop.stock(productId)).toBe(5);
  expect(steady.output()).toMatch(/"msg":"settled unfinished checkouts".*"settled":1/);
  console.log(`periodic sweep: orphaned checkout settled ${Date.now() - orphanedAt} ms after its replica died`);
}, POSTGRES_START_TIMEOUT_MS + 120_000);
