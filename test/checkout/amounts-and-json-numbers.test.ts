import { afterAll, beforeAll, describe, test } from "bun:test";
import { startEntrypoint, type ServerProcess } from "../support/processes";
import { chargeAmountsAreBounded, jsonIntegersAreNumbers } from "../scenarios/amounts-and-json-numbers";

// All-in-one; test/split/hostile-clients.test.ts runs the same scenarios against the split services.
import { engines } from "../support/engines";

for (const engine of engines()) {
  describe(`on ${engine.name}`, () => {
    let server: ServerProcess;
    beforeAll(async () => {
      server = await startEntrypoint("all.ts", { ...(await engine.env("amounts_and_json_numbers")), SEED_CATALOG: "false" }, { readyTimeoutMs: 30_000 });
    }, engine.setupTimeoutMs + 60_000);
    afterAll(async () => {
      await server?.stop();
    }, 30_000);

    test("a checkout whose total a card processor would refuse (under 50 or over 99,999,999 minor units) is a 409 before anything is created", async () => {
      await chargeAmountsAreBounded(server.url);
    }, 30_000);

    test('an integer in a JSON body is a JSON number: "5" is a 422 naming the field, on every route that takes one', async () => {
      await jsonIntegersAreNumbers(server.url);
    }, 30_000);
  });
}
