// Split mode: the gateway owns identity (sign-in, its throttling, sessions) and each service
// verifies tokens itself, asking the gateway whether a session is live (cached for
// TOKEN_CHECK_CACHE_MS, the revocation delay). Declined payments are throttled by the order
// service, per client address as the gateway saw it: the gateway overwrites X-Forwarded-For and
// the services believe it from TRUSTED_PROXIES only. The same scenarios as all-in-one.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Api, DEMO } from "../support/http-client";
import { SplitShop } from "../support/split-shop";
import * as sessions from "../scenarios/session-scenarios";
import * as throttling from "../scenarios/throttling-scenarios";
import { engines } from "../support/engines";

for (const engine of engines()) {
  describe(`on ${engine.name}`, () => {
    const REVOCATION_DELAY_MS = 1000;
    let split: SplitShop;
    let target: sessions.AuthTarget;
    beforeAll(async () => {
      split = await new SplitShop({ ...(await engine.env("auth_split")), SEED_CATALOG: "false", TOKEN_CHECK_CACHE_MS: String(REVOCATION_DELAY_MS), ...throttling.THROTTLE_ENV }).start();
      target = { url: split.url, revocationDelayMs: REVOCATION_DELAY_MS };
    }, engine.setupTimeoutMs + 120_000);
    afterAll(async () => {
      await split?.stop();
    });

    test("logout reaches every service within the revocation delay; another session keeps working", () => sessions.logoutRevokesThePresentedToken(target), 30_000);
    test("the operators' live stream (proxied to the order service) goes through the same check", () => sessions.operatorsLiveStreamFollowsLogout(target), 30_000);
    test("a disabled account's tokens stop working everywhere and it cannot sign in", () => sessions.disabledAccountIsShutOut(target), 30_000);
    test("the services refuse a validly signed token for an unknown user or for no session", () => sessions.tokensWithoutALiveAccountAreRefused(target), 30_000);
    test("the services take the bearer scheme in any case", () => sessions.bearerSchemeIsCaseInsensitive(target), 30_000);
    test("usernames are case-insensitive at the gateway", () => sessions.usernamesAreCaseInsensitive(target), 30_000);

    const gatewayMetrics = () => `${split.url}/metrics`;
    const orderMetrics = () => `http://127.0.0.1:${split.ports.order}/metrics`;
    const counted = (metrics: () => string, rules: string[], scenario: (url: string) => Promise<void>) => () =>
      throttling.countedIn(metrics(), rules, () => scenario(split.url));

    test("the gateway locks an account's sign-in after its failures", counted(gatewayMetrics, ["sign_in_account"], throttling.signInLockedPerAccount), 30_000);
    test("20 parallel guesses through the gateway: exactly the limit reach the password check", counted(gatewayMetrics, ["sign_in_account"], throttling.parallelGuessesCannotSlipPast), 30_000);
    test("the gateway stops an address after failed sign-ins across accounts", counted(gatewayMetrics, ["sign_in_address"], throttling.signInLimitedPerAddress), 30_000);
    test("the gateway limits registrations per address", counted(gatewayMetrics, ["registration_address"], throttling.registrationsLimitedPerAddress), 30_000);
    test(
      "the order service stops card testing per customer and per client address, whatever X-Forwarded-For a client sends",
      counted(orderMetrics, ["declined_payment_account", "declined_payment_address"], throttling.declinedPaymentsStopCardTesting),
      60_000,
    );
    test("retries of one declined checkout through the gateway count as one decline", counted(orderMetrics, ["declined_payment_account"], throttling.retriesAreNotCardTries), 60_000);
    test("20 parallel declined checkouts through the gateway: at most the limit are tried", counted(orderMetrics, ["declined_payment_account"], throttling.parallelCardTestingIsBounded), 60_000);

    // Last: it stops the gateway.
    test("with the identity owner unreachable, a service refuses user tokens with a 503 naming it (never accepts them unchecked)", async () => {
      const token: string = (await new Api(split.url).post("/api/auth/token", { username: "alice", password: DEMO.alice })).body.token;
      const cart = new Api(`http://127.0.0.1:${split.ports.cart}`, token);
      expect((await cart.get("/api/cart")).status).toBe(200);
      await split.stopOne("gateway");
      await Bun.sleep(REVOCATION_DELAY_MS + 200); // the cached answer expires
      const res = await cart.get("/api/cart");
      expect(res.status).toBe(503);
      expect(res.body.error).toMatchObject({ code: "DEPENDENCY_UNAVAILABLE", details: { dependency: "identity" } });
    }, 30_000);
  });
}
