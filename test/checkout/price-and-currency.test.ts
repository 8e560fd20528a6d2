import { afterAll, beforeAll, describe, test } from "bun:test";
import { startEntrypoint, type ServerProcess } from "../support/processes";
import { expectedTotalsAgainstLivePrices, oneCurrencyPerCart } from "../scenarios/price-and-currency";

// All-in-one; test/split/hostile-clients.test.ts runs the same scenarios against the split services.
import { engines } from "../support/engines";

for (const engine of engines()) {
  describe(`on ${engine.name}`, () => {
    let server: ServerProcess;
    beforeAll(async () => {
      server = await startEntrypoint("all.ts", { ...(await engine.env("price_and_currency")), SEED_CATALOG: "false" }, { readyTimeoutMs: 30_000 });
    }, engine.setupTimeoutMs + 60_000);
    afterAll(async () => {
      await server?.stop();
    }, 30_000);

    test("a checkout carrying the total the customer saw: another live total is a 409 PRICE_CHANGED and nothing is ordered", async () => {
      await expectedTotalsAgainstLivePrices(server.url);
    }, 30_000);

    test("one currency per cart, also after an operator changes a product's currency: never summed, never checked out", async () => {
      await oneCurrencyPerCart(server.url);
    }, 30_000);
  });
}
