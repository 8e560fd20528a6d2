import { afterEach, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { freePortRun, repoRoot, tempDir, waitUntilGone } from "../support/processes";
import { WatchedProcess } from "../support/watched-process";

// `npm run split` (scripts/split.ts): Kafka and the five services from one command, each line behind
// its service's name, all stopped (the Kafka JVM too) on Ctrl-C or SIGTERM, and a non-zero exit
// when one of them dies. The real thing: a real broker and five Bun processes on loopback.
const SERVICES = ["catalog", "cart", "order", "payment", "gateway"] as const;
let launcher: WatchedProcess | undefined;
let everything: number[] = [];

afterEach(async () => {
  // Whatever a failed test left behind, by pid.
  launcher?.kill("SIGKILL");
  for (const pid of everything) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {}
  }
  launcher = undefined;
  everything = [];
});

async function startSplit() {
  const port = freePortRun(5);
  const kafkaPort = freePortRun(2);
  const dataDir = tempDir("shop-split-");
  launcher = WatchedProcess.spawn(["bun", join(repoRoot, "scripts", "split.ts")], {
    cwd: repoRoot,
    env: { ...process.env, PORT: String(port), KAFKA_PORT: String(kafkaPort), DATA_DIR: dataDir, HOST: "127.0.0.1", LOG_LEVEL: "info", NODE_ENV: "development" },
  });
  await launcher.waitFor(/split +\| ready: /, 150_000);
  const pids = Object.fromEntries(
    SERVICES.map((s) => [s, Number(launcher!.output().match(new RegExp(`${s} started \\(pid (\\d+)\\)`))![1])]),
  ) as Record<(typeof SERVICES)[number], number>;
  const jvm = Number(readFileSync(join(dataDir, "kafka", "broker.pid"), "utf8"));
  everything = [...Object.values(pids), jvm];
  return { url: `http://127.0.0.1:${port}`, port, kafkaPort, dataDir, pids, jvm };
}

async function refused(port: number): Promise<boolean> {
  try {
    await fetch(`http://127.0.0.1:${port}/health/live`, { signal: AbortSignal.timeout(1_000) });
    return false;
  } catch {
    return true;
  }
}

test("one command starts Kafka and the five services, prefixes their lines, and SIGTERM stops every one of them", async () => {
  const split = await startSplit();
  const ready = await fetch(`${split.url}/health/ready`);
  expect(ready.status).toBe(200);
  expect(Object.keys(((await ready.json()) as any).upstreams).sort()).toEqual(["cart", "catalog", "order", "payment"]);
  // Each service's own lines, behind its name; its data folder where the README says.
  for (const s of SERVICES) {
    expect(launcher!.output()).toMatch(new RegExp(`^${s} +\\| \\{.*"msg":"listening".*"service":"${s}"`, "m"));
    expect(launcher!.output()).toContain(`data in ${join(split.dataDir, s)}`);
  }
  expect(launcher!.output()).toMatch(/^kafka +\| ready on 127\.0\.0\.1:\d+ after/m);

  // (Ctrl-C, SIGINT to the whole process group, is what the README test does to `npm run split`.)
  launcher!.kill("SIGTERM");
  expect(await launcher!.exitWithin(60_000)).toBe(0);
  expect(await waitUntilGone(everything, 10_000)).toEqual([]);
  for (let i = 0; i < 5; i++) expect(await refused(split.port + i)).toBe(true);
  expect(await refused(split.kafkaPort)).toBe(true);
}, 240_000);

test("when one service dies the others and Kafka are stopped, and the launcher exits non-zero naming it", async () => {
  const split = await startSplit();
  process.kill(split.pids.order, "SIGKILL");
  expect(await launcher!.exitWithin(60_000)).toBe(1);
  expect(launcher!.output()).toContain("order exited with SIGKILL: stopping everything");
  expect(await waitUntilGone(everything, 10_000)).toEqual([]);
}, 240_000);

test("if the launcher itself is killed outright, nothing it started keeps running", async () => {
  await startSplit();
  launcher!.kill("SIGKILL");
  // The kernel's parent-death signal: SIGTERM to each service, SIGKILL to the JVM.
  expect(await waitUntilGone(everything, 30_000)).toEqual([]);
}, 240_000);
