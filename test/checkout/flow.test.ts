import { afterAll, beforeAll, expect, test } from "bun:test";
import { startEntrypoint, type ServerProcess } from "../support/processes";
import { runCheckoutScenario } from "../scenarios/checkout-scenario";

let server: ServerProcess;
beforeAll(async () => {
  server = await startEntrypoint("all.ts");
});
afterAll(async () => {
  await server?.stop();
});

test("all-in-one: the whole shopping flow over HTTP", async () => {
  const result = await runCheckoutScenario(server.url);
  expect(result.paidOrderId).toBeString();
});
