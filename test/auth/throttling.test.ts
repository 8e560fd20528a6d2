// All-in-one: sign-in, registration and declined payments are limited per account and per client
// address (the socket's peer; X-Forwarded-For from a client is ignored), with 429, Retry-After, a
// code and shop_throttled_total{rule}. Small limits and 2-3 s windows from the environment.
import { afterAll, beforeAll, test } from "bun:test";
import { startEntrypoint, type ServerProcess } from "../support/processes";
import * as scenarios from "../scenarios/throttling-scenarios";

let server: ServerProcess;
beforeAll(async () => {
  server = await startEntrypoint("all.ts", { SEED_CATALOG: "false", ...scenarios.THROTTLE_ENV }, { readyTimeoutMs: 30_000 });
}, 60_000);
afterAll(async () => {
  await server?.stop();
});

const counted = (rules: string[], scenario: (url: string) => Promise<void>) => () => scenarios.countedIn(`${server.url}/metrics`, rules, () => scenario(server.url));

test("failed sign-ins lock that account (even the right password) until its window closes; nobody else", counted(["sign_in_account"], scenarios.signInLockedPerAccount), 30_000);
test("20 parallel guesses: exactly the limit reach the password check", counted(["sign_in_account"], scenarios.parallelGuessesCannotSlipPast), 30_000);
test("failed sign-ins across accounts stop that address, not others", counted(["sign_in_address"], scenarios.signInLimitedPerAddress), 30_000);
test("successful sign-ins from one address are never limited", () => scenarios.successfulSignInsFromOneAddressAreNotLimited(server.url), 30_000);
test("registrations are limited per address", counted(["registration_address"], scenarios.registrationsLimitedPerAddress), 30_000);
test(
  "declined payments stop a customer, then an address across accounts, before another card is tried",
  counted(["declined_payment_account", "declined_payment_address"], scenarios.declinedPaymentsStopCardTesting),
  60_000,
);
test("retries of one declined checkout (at once, or replayed) count as one decline", counted(["declined_payment_account"], scenarios.retriesAreNotCardTries), 60_000);
test("20 parallel declined checkouts of one customer: at most the limit are tried", counted(["declined_payment_account"], scenarios.parallelCardTestingIsBounded), 60_000);
