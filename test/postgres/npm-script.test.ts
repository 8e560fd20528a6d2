// `npm run postgres -- start`: a local server for trying the shop on PostgreSQL. It prints the
// DATABASE_URL to use, stops on Ctrl-C (SIGINT to its process group, as a terminal sends it), and
// a second start finds the same data behind the same URL.
import { afterAll, expect, test } from "bun:test";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { SQL } from "bun";
import { POSTGRES_CACHE } from "../../scripts/postgres/server";
import { isRunning } from "../../scripts/postgres/process-identity";
import { POSTGRES_START_TIMEOUT_MS } from "../support/postgres";
import { freePort, repoRoot } from "../support/processes";
import { WatchedProcess } from "../support/watched-process";

const dir = join(POSTGRES_CACHE, `npm-script-test-${process.pid}`);
mkdirSync(POSTGRES_CACHE, { recursive: true });
const running: WatchedProcess[] = [];
afterAll(() => {
  for (const p of running) p.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

const npm = (args: string[], env: Record<string, string> = {}) => {
  const p = WatchedProcess.spawn(["npm", "run", "--silent", ...args], { cwd: repoRoot, env: { ...process.env, ...env }, detached: true });
  running.push(p);
  return p;
};

async function startAndStop(port: number, work: (sql: SQL) => Promise<void>): Promise<string> {
  const server = npm(["postgres", "--", "start"], { POSTGRES_PORT: String(port), POSTGRES_DIR: dir });
  const [, url] = await server.waitFor(/^DATABASE_URL=(\S+)$/m, POSTGRES_START_TIMEOUT_MS);
  const pid = Number((await server.waitFor(/ready \(PostgreSQL \d+, pid (\d+)\)/, 10_000))[1]);
  expect(url).toStartWith(`postgres://shop:`);
  expect(url).toEndWith(`@127.0.0.1:${port}/shop`);
  const sql = new SQL({ url: url!, max: 1 });
  try {
    await work(sql);
  } finally {
    await sql.close();
  }
  const logged = readFileSync(join(dir, "postgres.log"), "utf8").length;
  process.kill(-server.pid, "SIGINT"); // Ctrl-C: the whole foreground group
  expect([0, 130]).toContain((await server.exitWithin(60_000))!); // 130: npm's own answer to a Ctrl-C
  const deadline = Date.now() + 30_000;
  while (isRunning(pid) && Date.now() < deadline) await Bun.sleep(50);
  expect(isRunning(pid)).toBe(false);
  // An orderly (fast) shutdown, not a crash that the next start would have to recover from.
  expect(readFileSync(join(dir, "postgres.log"), "utf8").slice(logged)).toContain("database system is shut down");
  return url!;
}

test("starts a server with a database named shop, stops on Ctrl-C, and keeps its data and URL for the next start", async () => {
  const port = freePort();
  const first = await startAndStop(port, async (sql) => {
    await sql`CREATE TABLE tried (note text)`;
    await sql`INSERT INTO tried VALUES ('kept')`;
  });
  const second = await startAndStop(port, async (sql) => {
    expect(await sql`SELECT note FROM tried`).toEqual([{ note: "kept" }]);
  });
  expect(second).toBe(first);
}, 2 * POSTGRES_START_TIMEOUT_MS);

test("without `start` it prints its usage", async () => {
  const usage = npm(["postgres"]);
  expect(await usage.exitWithin(120_000)).toBe(2);
  expect(usage.output()).toContain("usage: npm run postgres -- start");
}, 180_000);
