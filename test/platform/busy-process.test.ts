// The gauge the group commit asks whether to sync on the thread pool: busy when the process used
// more than its share of a core over the last window, measured again at most once per window.
import { expect, test } from "bun:test";
import { BusyProcess } from "../../src/platform/db/busy-process";

test("busy above half a core over the last window, idle below; each window measured once", () => {
  let now = 0;
  let cpu = 0;
  let reads = 0;
  const gauge = new BusyProcess(0.5, 100, () => now, () => (reads++, cpu));
  expect(gauge.isBusy()).toBe(false); // nothing measured yet
  now = 100;
  cpu = 80; // 80 ms of CPU in 100 ms
  expect(gauge.isBusy()).toBe(true);
  cpu = 80.1;
  now = 150; // inside the window: the last answer, no new reading
  const readsBefore = reads;
  expect(gauge.isBusy()).toBe(true);
  expect(reads).toBe(readsBefore);
  now = 300;
  cpu = 100; // 20 ms in 200 ms
  expect(gauge.isBusy()).toBe(false);
  now = 400;
  cpu = 150; // exactly half: not above it
  expect(gauge.isBusy()).toBe(false);
});

test("by default it reads this process's own CPU: a busy loop is busy, a sleep is idle", async () => {
  const gauge = new BusyProcess(0.25); // a quarter of a core: the loop gets more even on a loaded machine
  const end = performance.now() + 150;
  while (performance.now() < end); // a core's worth of work for the whole window
  expect(gauge.isBusy()).toBe(true);
  await Bun.sleep(150);
  expect(gauge.isBusy()).toBe(false);
});
