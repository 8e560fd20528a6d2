// An idle shop sleeps: its main thread wakes a few times a second (timers of seconds, not milliseconds).
// prom-client's default event-loop monitor sampled every 10 ms, 100 wake-ups a second in every process;
// it now samples every 100 ms. The split shop's processes are checked in test/split/split-checkout.test.ts.
import { afterAll, expect, test } from "bun:test";
import { idleWakeupsPerSecond } from "../support/idle-wakeups";
import { startEntrypoint, type ServerProcess } from "../support/processes";

let shop: ServerProcess | undefined;
afterAll(async () => {
  await shop?.stop();
});

test("the all-in-one shop, idle, wakes fewer than 50 times a second", async () => {
  shop = await startEntrypoint("all.ts", { LOG_LEVEL: "warn" }, { readyTimeoutMs: 60_000 });
  const res = await fetch(`${shop.url}/metrics`);
  expect(await res.text()).toContain("nodejs_eventloop_lag_p99_seconds"); // the monitor still runs
  await Bun.sleep(2000); // start-up's own timers settle
  const wakeups = await idleWakeupsPerSecond({ shop: shop.proc.pid });
  expect(wakeups.shop).toBeLessThan(50); // 100-105 with the 10 ms monitor, ~15 without
}, 90_000);
