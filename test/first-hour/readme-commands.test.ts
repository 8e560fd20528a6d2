import { afterAll, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { Api, DEMO } from "../support/http-client";
import { envWithoutBun } from "../support/path-without-bun";
import { freePortRun, repoRoot, tempDir, waitForOk } from "../support/processes";
import { WatchedProcess } from "../support/watched-process";
import { shellBlocks, type ShellBlock } from "./readme-blocks";

// The README's command lines cannot rot: every fenced `sh` block runs in order, as written, on a
// machine with Node.js and npm but no Bun on the PATH, against the real shop on free loopback ports
// (the blocks read PORT, as the README says). A "server" block (npm start, npm run split) runs in its
// own process group until the next one starts or the end, then gets Ctrl-C (SIGINT to the group),
// after which nothing of it may remain. While a server runs, an operator's dashboard is open in
// Chromium, and the newest order the following blocks placed must show up on it without a reload.
const README = readFileSync(join(repoRoot, "README.md"), "utf8");
const RUN_TIMEOUT_MS = 120_000;
const SERVER_READY_MS = 300_000; // a first run may install Bun, and split mode downloads Kafka's jars
const STOP_TIMEOUT_MS = 90_000;

const port = freePortRun(5); // npm start's port, or the gateway's and the four services' after it
const kafkaPort = freePortRun(2);
const env = envWithoutBun({ PORT: String(port), KAFKA_PORT: String(kafkaPort), DATA_DIR: tempDir("shop-readme-"), HOST: "127.0.0.1" });
const shopUrl = `http://127.0.0.1:${port}`;

let browser: Browser | undefined;
/** Per server block, the newest order its dashboard showed live. */
const seenLive: string[] = [];
let server: { block: ShellBlock; proc: WatchedProcess; page: Page; newestBefore: string | undefined } | undefined;
afterAll(async () => {
  if (server) killGroup(server.proc.pid, "SIGKILL");
  await browser?.close().catch(() => undefined);
}, 60_000);

const where = (block: ShellBlock) => `README.md:${block.line} \`${block.code.split("\n")[0]}\``;

function killGroup(pgid: number, signal: NodeJS.Signals) {
  try {
    process.kill(-pgid, signal);
  } catch {}
}

/** Processes whose process group is `pgid` (what Ctrl-C in a terminal reaches), zombies excluded. */
function groupMembers(pgid: number): number[] {
  const members: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(pgrp) === pgid && state !== "Z") members.push(Number(entry));
    } catch {}
  }
  return members;
}

async function ops(): Promise<Api> {
  return new Api(shopUrl).login("ops", DEMO.ops);
}

async function newestOrderId(): Promise<string | undefined> {
  const items = (await (await ops()).get("/api/orders?limit=1")).body.items as Array<{ id: string }>;
  return items[0]?.id;
}

/** Signs an operator in on the dashboard the server serves, and waits until its live stream is connected. */
async function openDashboard(): Promise<Page> {
  browser ??= await chromium.launch({
    executablePath: "/usr/bin/chromium",
    headless: true,
    timeout: 30_000,
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const page = await browser.newPage();
  page.setDefaultTimeout(15_000);
  await page.goto(`${shopUrl}/`);
  await page.getByLabel("Username").fill("ops");
  await page.getByLabel("Password").fill(DEMO.ops);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.locator('[data-testid="live-indicator"][data-state="connected"]').waitFor();
  return page;
}

async function startServer(block: ShellBlock) {
  // detached: its own process group, like a terminal's foreground job.
  const proc = WatchedProcess.spawn(["sh", "-c", block.code], { cwd: repoRoot, env, detached: true });
  try {
    await proc.waitFor(/"msg":"listening"/, SERVER_READY_MS);
    await waitForOk(`${shopUrl}/health/ready`, SERVER_READY_MS, proc.proc);
  } catch (error) {
    killGroup(proc.pid, "SIGKILL");
    throw new Error(`${where(block)} did not serve ${shopUrl}: ${(error as Error).message}`);
  }
  const page = await openDashboard();
  server = { block, proc, page, newestBefore: await newestOrderId() };
}

/** The orders placed while this server ran reached the dashboard that was open all along; then Ctrl-C. */
async function stopServer() {
  if (!server) return;
  const { block, proc, page, newestBefore } = server;
  const newest = await newestOrderId();
  if (newest && newest !== newestBefore) {
    await page.locator(`[data-testid$="${newest}"]`).first().waitFor({ state: "visible", timeout: 10_000 });
    seenLive.push(`${where(block)}: ${newest}`);
  }
  await page.close();
  killGroup(proc.pid, "SIGINT");
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (groupMembers(proc.pid).length && Date.now() < deadline) await Bun.sleep(200);
  const left = groupMembers(proc.pid);
  server = undefined;
  if (left.length) {
    killGroup(proc.pid, "SIGKILL");
    throw new Error(`${where(block)}: after Ctrl-C, processes ${left.join(", ")} were still running:\n${proc.output().slice(-3000)}`);
  }
  const refused = await fetch(`${shopUrl}/health/live`, { signal: AbortSignal.timeout(1_000) }).then(
    () => false,
    () => true,
  );
  expect(refused).toBe(true);
}

async function run(block: ShellBlock) {
  const proc = WatchedProcess.spawn(["sh", "-e", "-c", block.code], { cwd: repoRoot, env, detached: true });
  const code = await proc.exitWithin(RUN_TIMEOUT_MS);
  if (code !== 0) {
    killGroup(proc.pid, "SIGKILL"); // a block that never ends takes whatever it started with it
    throw new Error(`${where(block)} ${code === null ? `took longer than ${RUN_TIMEOUT_MS} ms` : `exited ${code}`}:\n${proc.output().slice(-3000)}`);
  }
}

test("the README's sh blocks are all found, with the markers the test knows", () => {
  const blocks = shellBlocks(README);
  expect(blocks.filter((b) => b.mode === "run").length).toBeGreaterThanOrEqual(3);
  expect(blocks.filter((b) => b.mode === "server").map((b) => b.code.split(/\s/)[0])).toEqual(["npm", "npm"]);
  expect(() => shellBlocks("<!-- readme-test: skp -->\n```sh\nrm -rf /\n```\n")).toThrow('unknown readme-test marker "skp"');
  expect(shellBlocks("<!-- readme-test: skip (why) -->\n\n```sh\necho a\n```\n```console\n$ b\n```\n```sh\necho c\n```")).toEqual([
    { line: 3, code: "echo a", mode: "skip" },
    { line: 9, code: "echo c", mode: "run" },
  ]);
});

test("every sh block of the README works as written, in order, with no Bun on the PATH", async () => {
  for (const block of shellBlocks(README)) {
    if (block.mode === "skip") continue;
    if (block.mode === "server") {
      await stopServer();
      await startServer(block);
    } else {
      await run(block);
    }
  }
  await stopServer();
  // Each server the README starts is followed by checkouts, and the dashboard showed them as they came.
  expect(seenLive).toHaveLength(shellBlocks(README).filter((b) => b.mode === "server").length);
}, 900_000);
