// What checking a caller's token costs per request, in process (no HTTP), by layer:
//   1. signature only: the verified-token cache hit every request had before sessions (a service
//      token takes this path still),
//   2. + the session answer from the cache (all-in-one and the gateway within TOKEN_CHECK_CACHE_MS),
//   3. + the session read from SQLite on every call (TOKEN_CHECK_CACHE_MS=0).
//   bun bench/micro/token-check.ts [--calls N]
import { rmSync } from "node:fs";
import { openIdentityDatabase } from "../../src/platform/auth/identity-database";
import { CachedSessionCheck } from "../../src/platform/auth/session-check";
import { Accounts } from "../../src/platform/auth/accounts";
import { SqliteSessionRepository } from "../../src/platform/auth/session-repository.sqlite";
import { TokenService } from "../../src/platform/auth/tokens";
import { SqliteUserRepository } from "../../src/platform/auth/user-repository.sqlite";
import { tempDir } from "../../test/support/processes";

const at = process.argv.indexOf("--calls");
const calls = at > 0 ? Math.max(1000, Math.min(10_000_000, Number(process.argv[at + 1]) || 0)) : 1_000_000;
const dir = tempDir("bench-token-check-");
const identity = openIdentityDatabase(dir);
const store = new SqliteSessionRepository(identity.sqlite);
const user = await new Accounts(new SqliteUserRepository(identity.sqlite)).register("bench_user", "bench-password-123");
const expiresAt = Math.floor(Date.now() / 1000) + 3600;
const secret = "bench-secret-0123456789abcdef-0123456789";

async function perCall(name: string, tokens: TokenService, token: string) {
  if (!(await tokens.verify(token))) throw new Error(`${name}: token refused`);
  for (let i = 0; i < 10_000; i++) await tokens.verify(token); // warm-up
  const started = Bun.nanoseconds();
  for (let i = 0; i < calls; i++) await tokens.verify(token);
  console.log(`${name.padEnd(34)} ${((Bun.nanoseconds() - started) / calls).toFixed(0).padStart(6)} ns per verify`);
}

const layers: Array<[string, TokenService, boolean]> = [
  ["signature only (service token)", new TokenService(secret, 3600, store), false],
  ["+ session answer from the cache", new TokenService(secret, 3600, new CachedSessionCheck(store, 2000)), true],
  ["+ session read from SQLite", new TokenService(secret, 3600, new CachedSessionCheck(store, 0)), true],
];
const tokenFor = async ([, tokens, ofUser]: (typeof layers)[number]) =>
  ofUser ? tokens.sign(user, { sessionId: (await store.open(user.userId, expiresAt))!, expiresAt }) : tokens.sign({ userId: "service:bench", username: "bench", role: "service" });
const signed = await Promise.all(layers.map(tokenFor));
// Two rounds, interleaved: the first round also warms the JIT for the second.
for (const round of [1, 2]) {
  console.log(`round ${round}`);
  for (const [i, [name, tokens]] of layers.entries()) await perCall(name, tokens, signed[i]!);
}
identity.close();
rmSync(dir, { recursive: true, force: true });
