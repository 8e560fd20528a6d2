import { afterEach, expect, test } from "bun:test";
import { freePort, repoRoot, tempDir, waitForOk, waitUntilGone } from "../support/processes";
import { envWithoutBun } from "../support/path-without-bun";
import { WatchedProcess } from "../support/watched-process";

// On a machine that only ran `npm start` (Node.js and npm, no Bun on the PATH): every `npm run`
// script works, since the bootstrap puts its own Bun (.tools/) first on the PATH of what it runs,
// and `npm start` killed by its pid takes the shop down with it instead of leaving Bun serving.
// The first run may install Bun from npm into .tools/ (a download): generous timeouts.
let running: WatchedProcess[] = [];
let servers: number[] = [];
afterEach(() => {
  for (const p of running) p.kill("SIGKILL");
  for (const pid of servers) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {}
  }
  running = [];
  servers = [];
});

const npm = (args: string[], env: Record<string, string> = {}) => {
  const p = WatchedProcess.spawn(["npm", ...args], { cwd: repoRoot, env: envWithoutBun(env) });
  running.push(p);
  return p;
};

test("`npm run simulate` works without Bun on the PATH (it was `sh: bun: not found`)", async () => {
  const simulate = npm(["run", "simulate", "--", "--help"]);
  expect(await simulate.exitWithin(240_000)).toBe(0);
  expect(simulate.output()).toContain("Usage: npm run simulate -- [--orders N]");
  expect(simulate.output()).not.toContain("not found");
}, 300_000);

test("`npm run kafka` and `npm run bench` reach their scripts too (usage errors, not a missing bun)", async () => {
  const kafka = npm(["run", "kafka"]);
  expect(await kafka.exitWithin(120_000)).toBe(2);
  expect(kafka.output()).toContain("usage: npm run kafka -- start|prepare");
  const bench = npm(["run", "bench", "--", "--mode", "nonsense"]);
  expect(await bench.exitWithin(120_000)).not.toBe(0);
  expect(bench.output()).toContain("--mode must be all, split or both");
}, 300_000);

async function startShop() {
  const port = freePort();
  const shop = npm(["start"], { PORT: String(port), DATA_DIR: tempDir(), HOST: "127.0.0.1", NODE_ENV: "development" });
  const pid = Number((await shop.waitFor(/"msg":"listening".*?"pid":(\d+)/, 240_000))[1]);
  servers.push(pid);
  await waitForOk(`http://127.0.0.1:${port}/health/ready`, 30_000);
  return { shop, port, pid };
}

const refused = (port: number) =>
  fetch(`http://127.0.0.1:${port}/health/live`, { signal: AbortSignal.timeout(1_000) }).then(
    () => false,
    () => true,
  );

for (const signal of ["SIGTERM", "SIGKILL"] as const) {
  test(`\`npm start\` killed by its pid (${signal}) stops the server it started`, async () => {
    const { shop, port, pid } = await startShop();
    expect(pid).not.toBe(shop.pid); // the server is Bun, a few processes below npm
    process.kill(shop.pid, signal);
    expect(await waitUntilGone([pid], 20_000)).toEqual([]);
    expect(await refused(port)).toBe(true);
  }, 300_000);
}
