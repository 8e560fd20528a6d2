import { afterAll, beforeAll, describe, test } from "bun:test";
import { startEntrypoint, type ServerProcess } from "../support/processes";
import { concurrentCheckoutsOfOneCart, oneCheckoutPerCartStillAllowsRetries } from "../scenarios/one-checkout-per-cart";

// All-in-one; test/split/hostile-clients.test.ts runs the same scenarios against the split services.
import { engines } from "../support/engines";

for (const engine of engines()) {
  describe(`on ${engine.name}`, () => {
    let server: ServerProcess;
    beforeAll(async () => {
      server = await startEntrypoint("all.ts", { ...(await engine.env("one_cart")), SEED_CATALOG: "false" }, { readyTimeoutMs: 30_000 });
    }, engine.setupTimeoutMs + 60_000);
    afterAll(async () => {
      await server?.stop();
    }, 30_000);

    test("6 checkouts of one cart at once with different keys, 4 rounds: one paid, one payment, stock taken once, the rest 409", async () => {
      await concurrentCheckoutsOfOneCart(server.url, { rounds: 4, concurrent: 6 });
    }, 60_000);

    test("a same-key retry replays, a declined payment leaves the cart free, the next cart checks out", async () => {
      await oneCheckoutPerCartStillAllowsRetries(server.url);
    }, 30_000);
  });
}
