// All-in-one: a token works only while its session is live. Sign-out and an operator disabling an
// account take effect at once on every route (the cache of session answers is cleared in the
// process that revokes); a validly signed token that no sign-in produced is refused; the bearer
// scheme and usernames are case-insensitive.
import { afterAll, beforeAll, describe, test } from "bun:test";
import { startEntrypoint, type ServerProcess } from "../support/processes";
import * as scenarios from "../scenarios/session-scenarios";
import { engines } from "../support/engines";

for (const engine of engines()) {
  describe(`on ${engine.name}`, () => {
    let server: ServerProcess;
    let target: scenarios.AuthTarget;
    beforeAll(async () => {
      server = await startEntrypoint("all.ts", { ...(await engine.env("sessions")), SEED_CATALOG: "false" }, { readyTimeoutMs: 30_000 });
      target = { url: server.url, revocationDelayMs: 0 };
    }, engine.setupTimeoutMs + 60_000);
    afterAll(async () => {
      await server?.stop();
    });

    test("logout revokes the presented token on every route at once; another session of the user keeps working", () => scenarios.logoutRevokesThePresentedToken(target), 30_000);
    test("the operators' live stream goes through the same check", () => scenarios.operatorsLiveStreamFollowsLogout(target), 30_000);
    test("a disabled account's tokens stop working and it cannot sign in; enabled again, it signs in anew", () => scenarios.disabledAccountIsShutOut(target), 30_000);
    test("a validly signed token for an unknown user, or for no session, is refused", () => scenarios.tokensWithoutALiveAccountAreRefused(target), 30_000);
    test("the bearer scheme is case-insensitive and spaces around are allowed", () => scenarios.bearerSchemeIsCaseInsensitive(target), 30_000);
    test("usernames are case-insensitive: stored lower-cased, ALICE is alice", () => scenarios.usernamesAreCaseInsensitive(target), 30_000);
  });
}
