// The cache in front of session lookups, over a real identity database: an answer is reused for
// its TTL (the revocation delay of processes that did not revoke), forgotten at once where the
// revocation happened, and an answer fetched before a revocation is never kept after it.
import { afterAll, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { openIdentityDatabase } from "../../src/platform/auth/identity-database";
import { CachedSessionCheck, type SessionCheck } from "../../src/platform/auth/session-check";
import { Accounts } from "../../src/platform/auth/accounts";
import { SqliteSessionRepository } from "../../src/platform/auth/session-repository.sqlite";
import { SqliteUserRepository } from "../../src/platform/auth/user-repository.sqlite";
import { tempDir } from "../support/processes";

const dir = tempDir("shop-session-check-");
const identity = openIdentityDatabase(dir);
const users = new Accounts(new SqliteUserRepository(identity.sqlite));
const sessions = new SqliteSessionRepository(identity.sqlite);
afterAll(() => {
  identity.close();
  rmSync(dir, { recursive: true, force: true });
});

const hourFromNow = () => Math.floor(Date.now() / 1000) + 3600;
async function signedIn() {
  const { userId } = await users.register(`u_${crypto.randomUUID().slice(0, 8)}`, "correct-horse-battery");
  return { userId, sessionId: (await sessions.open(userId, hourFromNow()))! };
}

test("a session is live until revoked, expired, or its account disabled; never for another user id", async () => {
  const a = await signedIn();
  expect(sessions.isActive(a.sessionId, a.userId)).toBe(true);
  expect(sessions.isActive(a.sessionId, "someone-else")).toBe(false);
  expect(sessions.isActive(crypto.randomUUID(), a.userId)).toBe(false);
  await sessions.revoke(a.sessionId);
  expect(sessions.isActive(a.sessionId, a.userId)).toBe(false);

  const b = await signedIn();
  await users.setDisabled(b.userId, true);
  expect(sessions.isActive(b.sessionId, b.userId)).toBe(false);
  expect(await sessions.open(b.userId, hourFromNow())).toBeNull(); // a disabled account opens no session
  await users.setDisabled(b.userId, false);
  expect(sessions.isActive(b.sessionId, b.userId)).toBe(true); // disabling alone does not revoke (Identity revokes too)

  const c = await signedIn();
  const expired = (await sessions.open(c.userId, Math.floor(Date.now() / 1000) - 1))!;
  expect(sessions.isActive(expired, c.userId)).toBe(false);
});

test("answers are reused for the TTL, then asked again", async () => {
  let clock = 0;
  const cache = new CachedSessionCheck(sessions, 2000, () => clock);
  const a = await signedIn();
  expect(cache.isActive(a.sessionId, a.userId)).toBe(true);
  await sessions.revoke(a.sessionId); // revoked elsewhere: this cache has not heard
  clock = 1999;
  expect(cache.isActive(a.sessionId, a.userId)).toBe(true);
  clock = 2000;
  expect(cache.isActive(a.sessionId, a.userId)).toBe(false);
});

test("forget and forgetUser take effect at once", async () => {
  const cache = new CachedSessionCheck(sessions, 60_000);
  const a = await signedIn();
  const b = await signedIn();
  const b2 = { userId: b.userId, sessionId: (await sessions.open(b.userId, hourFromNow()))! };
  for (const s of [a, b, b2]) expect(cache.isActive(s.sessionId, s.userId)).toBe(true);
  await sessions.revoke(a.sessionId);
  cache.forget(a.sessionId);
  expect(cache.isActive(a.sessionId, a.userId)).toBe(false);
  await sessions.revokeAllOf(b.userId);
  cache.forgetUser(b.userId);
  expect(cache.isActive(b.sessionId, b.userId)).toBe(false);
  expect(cache.isActive(b2.sessionId, b2.userId)).toBe(false);
});

test("lookups in flight together share one call; one that started before a revocation is not kept", async () => {
  let calls = 0;
  const slow: SessionCheck = {
    isActive: async (sessionId, userId) => {
      calls++;
      const answer = sessions.isActive(sessionId, userId); // read now, answered later: a remote answer in flight
      await Bun.sleep(30);
      return answer;
    },
  };
  const cache = new CachedSessionCheck(slow, 60_000);
  const a = await signedIn();
  expect(await Promise.all([cache.isActive(a.sessionId, a.userId), cache.isActive(a.sessionId, a.userId)])).toEqual([true, true]);
  expect(calls).toBe(1);

  const b = await signedIn();
  const before = cache.isActive(b.sessionId, b.userId); // reads "live" ...
  await sessions.revoke(b.sessionId);
  cache.forget(b.sessionId); // ... and the revocation lands while it is in flight
  expect(await before).toBe(true);
  expect(await cache.isActive(b.sessionId, b.userId)).toBe(false); // asked again, not the stale answer
});
