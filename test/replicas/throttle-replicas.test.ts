// Throttles and token revocation with two replicas (all-in-one processes on one set of PostgreSQL
// databases): an account's declined payments are counted once whichever replica its checkouts
// reach, even sent to both at once; a failing sign-in spread over both replicas hits one limit; a
// token signed out on one replica is refused by the other within TOKEN_CHECK_CACHE_MS.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { Api, DEMO } from "../support/http-client";
import { freshModuleDatabases, POSTGRES_START_TIMEOUT_MS } from "../support/postgres";
import { startEntrypoint, type ServerProcess } from "../support/processes";
import { CARDS, Shop } from "../support/shop";
import { eventually } from "../support/sse";

const DECLINES_PER_ACCOUNT = 3;
const SIGN_IN_FAILURES_PER_ACCOUNT = 4;
const CACHE_MS = 500;
let replicas: ServerProcess[] = [];

/** One sign-in's token, as a client of each replica. */
async function signedInOnBoth(username: string, password: string): Promise<[Api, Api]> {
  const res = await new Api(replicas[0]!.url).post<{ token: string }>("/api/auth/token", { username, password });
  expect(res.status).toBe(200);
  return [new Api(replicas[0]!.url, res.body.token), new Api(replicas[1]!.url, res.body.token)];
}

beforeAll(async () => {
  const env = {
    ...(await freshModuleDatabases("throttle_replicas")),
    THROTTLE_DECLINED_PER_ACCOUNT: `${DECLINES_PER_ACCOUNT}/3600`,
    THROTTLE_SIGN_IN_PER_ACCOUNT: `${SIGN_IN_FAILURES_PER_ACCOUNT}/3600`,
    TOKEN_CHECK_CACHE_MS: String(CACHE_MS),
  };
  replicas = await Promise.all([0, 1].map(() => startEntrypoint("all.ts", env, { readyTimeoutMs: 60_000 })));
}, POSTGRES_START_TIMEOUT_MS + 60_000);
afterAll(async () => {
  for (const r of replicas) if (r.proc.exitCode === null) await r.kill();
}, 30_000);

test("an account's declines are counted once across replicas, its checkouts sent to both at once", async () => {
  const [a, b] = await Promise.all(replicas.map((r) => Shop.connect(r.url)));
  const productId = await a!.product(100);
  const [onA, onB] = await signedInOnBoth("alice", DEMO.alice);
  await a!.addToCart(onA, productId, 1);
  const statuses: number[] = [];
  for (let wave = 0; wave < 6; wave++) {
    const answers = await Promise.all([a!.checkout(onA, CARDS.declined), b!.checkout(onB, CARDS.declined)]);
    statuses.push(...answers.map((r) => r.status));
  }
  const declined = (await a!.allOrders()).filter((o) => o.status === "PAYMENT_FAILED");
  expect(declined.length).toBe(DECLINES_PER_ACCOUNT);
  expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(6); // both replicas refuse once the account is at its limit
});

test("failed sign-ins spread over both replicas count against one limit", async () => {
  const [a, b] = replicas.map((r) => new Api(r.url));
  const answers: number[] = [];
  for (let i = 0; i < 2 * SIGN_IN_FAILURES_PER_ACCOUNT; i++) answers.push((await (i % 2 ? b! : a!).post("/api/auth/token", { username: "bob", password: "wrong" })).status);
  expect(answers.slice(0, SIGN_IN_FAILURES_PER_ACCOUNT)).toEqual(Array(SIGN_IN_FAILURES_PER_ACCOUNT).fill(401));
  expect(answers.slice(SIGN_IN_FAILURES_PER_ACCOUNT)).toEqual(Array(SIGN_IN_FAILURES_PER_ACCOUNT).fill(429));
});

test("a token signed out on one replica is refused by the other within the session-check cache", async () => {
  const [onA, onB] = await signedInOnBoth("alice", DEMO.alice);
  expect((await onB.get("/api/cart")).status).toBe(200);
  expect((await onA.post("/api/auth/logout")).status).toBeLessThan(300);
  const signedOutAt = Date.now();
  await eventually(async () => expect((await onB.get("/api/cart")).status).toBe(401), CACHE_MS + 5_000);
  console.log(`revocation seen by the other replica after ${Date.now() - signedOutAt} ms (cache ${CACHE_MS} ms)`);
});
