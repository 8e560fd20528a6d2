// A service call's timeout covers the whole call, answer body included, and ends with it.
// - A callee that sends its headers and then stalls is a 503 naming it ("timed out"), like one
//   that never answers: before, the body read failed with a bare TimeoutError, a 500.
// - A finished call leaves no timer behind: each used to keep an AbortSignal.timeout that fired
//   seconds later and woke an idle process once per call made (in split mode, several per checkout).
import { afterAll, expect, test } from "bun:test";
import { join } from "node:path";
import { TokenService } from "../../src/platform/auth/tokens";
import { DependencyUnavailableError } from "../../src/platform/errors";
import { ServiceClient } from "../../src/platform/http/service-client";

const tokens = new TokenService("timeout-tests-secret-0123456789abcdef", 3600);
const stalled = Bun.serve({
  port: 0,
  hostname: "127.0.0.1",
  fetch: () =>
    new Response(
      new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('{"items":['));
          // ...and nothing more: the rest of the body never comes.
        },
      }),
      { headers: { "content-type": "application/json" } },
    ),
});
afterAll(() => stalled.stop(true));

test("a callee that stalls in the middle of its answer is a 503 naming it, after the timeout", async () => {
  const client = new ServiceClient({ dependency: "catalog", baseUrl: `http://127.0.0.1:${stalled.port}`, tokens, caller: "cart", timeoutMs: 300, attempts: 2 });
  const started = performance.now();
  const error = await client.request("GET", "/internal/products").catch((e: unknown) => e);
  expect(error).toBeInstanceOf(DependencyUnavailableError);
  expect((error as DependencyUnavailableError).message).toBe("catalog is unavailable: timed out");
  expect(performance.now() - started).toBeLessThan(10_000); // two attempts of 300 ms and a backoff, not forever
}, 20_000);

test("finished calls leave no timer to wake the process later", async () => {
  const run = Bun.spawn(["bun", join(import.meta.dir, "fixtures", "service-client-idle.ts")], { stdout: "pipe", stderr: "inherit" });
  const [out, code] = await Promise.all([new Response(run.stdout).text(), run.exited]);
  expect(code).toBe(0);
  const { beforeCalls, afterCalls } = JSON.parse(out.trim().split("\n").at(-1)!);
  // 50 calls, each of whose timers would fire once in the second idle spell: ~50 wake-ups more.
  expect(afterCalls - beforeCalls).toBeLessThan(15);
}, 30_000);
