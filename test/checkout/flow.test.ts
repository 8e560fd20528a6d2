import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { engines } from "../support/engines";
import { startEntrypoint, type ServerProcess } from "../support/processes";
import { runCheckoutScenario } from "../scenarios/checkout-scenario";

for (const engine of engines()) {
  describe(`on ${engine.name}`, () => {
    let server: ServerProcess;
    beforeAll(async () => {
      server = await startEntrypoint("all.ts", await engine.env("flow"), { readyTimeoutMs: 30_000 });
    }, engine.setupTimeoutMs + 30_000);
    afterAll(async () => {
      await server?.stop();
    });

    test("all-in-one: the whole shopping flow over HTTP", async () => {
      const result = await runCheckoutScenario(server.url);
      expect(result.paidOrderId).toBeString();
    });
  });
}
