// The safety nets of the HTTP shell, on a real process (test/platform/fixtures/throwing-server.ts):
// an error thrown after the response was sent (an after-response hook, sync or async), in a timer
// or by a promise nobody awaited is logged and counted, and the process keeps serving; an error
// that escapes Elysia altogether gets Bun.serve's last-resort answer, a 500 in the error shape.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { join } from "node:path";
import { startEntrypoint, type ServerProcess } from "../support/processes";
import { eventually } from "../support/sse";

let server: ServerProcess;
beforeAll(async () => {
  server = await startEntrypoint(join(import.meta.dir, "fixtures", "throwing-server.ts"), {}, { readyTimeoutMs: 30_000 });
}, 60_000);
afterAll(async () => {
  await server?.stop();
});

const get = (path: string) => fetch(`${server.url}${path}`, { signal: AbortSignal.timeout(5_000) });

async function stillServes(after: string) {
  await Bun.sleep(50); // the failures happen after the answer: give them their turn
  const live = await get("/health/live").catch((e: Error) => e);
  if (!(live instanceof Response) || live.status !== 200) {
    throw new Error(`the process stopped serving after ${after} (exit ${server.proc.exitCode}):\n${server.output().slice(-2000)}`);
  }
}

const uncaughtCount = async () => Number(/^shop_uncaught_errors_total (\d+)$/m.exec(await (await get("/metrics")).text())?.[1] ?? NaN);

test("errors after the response, in timers and in unawaited promises are logged and counted; the process keeps serving", async () => {
  const before = await uncaughtCount();
  const failures = {
    "/after-response-throws": "an after-response hook failed",
    "/after-response-rejects": "an async after-response hook failed",
    "/timer-throws": "a timer failed",
    "/unawaited-rejection": "a promise nobody awaited failed",
  };
  for (const [path, message] of Object.entries(failures)) {
    const res = await get(path);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
    await stillServes(path);
    // The line reaches us through the process's stdout pipe: on a busy machine, a moment later.
    await eventually(async () => expect(server.output()).toContain(message), 5_000);
  }
  await eventually(async () => expect(server.output().match(/uncaught error; the process keeps serving/g)?.length).toBe(4), 5_000);
  expect(await uncaughtCount()).toBe(before + 4);
}, 30_000);

test("an error that escapes Elysia gets Bun.serve's last resort: a 500 in the error shape, never an HTML page or an exit", async () => {
  for (const path of ["/invalid-header", "/error-handler-throws"]) {
    const res = await get(path);
    expect(res.status).toBe(500);
    expect(res.headers.get("content-type")).toContain("application/json");
    expect(await res.json()).toEqual({ error: { code: "INTERNAL", message: "Internal server error" } });
    await stillServes(path);
  }
  expect(server.output()).toContain("error escaped the HTTP handlers");
}, 30_000);
