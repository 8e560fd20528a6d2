// The tests' PostgreSQL: Debian's server started by the test set-up on loopback, in its own initdb
// folder under .cache/, as the postgres user when the tests run as root, never left running.
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { SQL } from "bun";
import { POSTGRES_CACHE, startPostgres, type PostgresServer } from "../../scripts/postgres/server";
import { isRunning } from "../../scripts/postgres/process-identity";
import { freshDatabase, POSTGRES_START_TIMEOUT_MS, sweepStaleRuns, testPostgres, TEST_RUNS } from "../support/postgres";

const fixture = join(import.meta.dir, "fixtures", "start-server.ts");
const T = { timeout: POSTGRES_START_TIMEOUT_MS + 60_000 };
/** Folders of this file's own servers (not the shared test server's). */
const scratch = join(POSTGRES_CACHE, `server-test-${process.pid}`);
mkdirSync(scratch, { recursive: true });
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const uidOf = (pid: number) => Number(/^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1]);
const postgresUid = () => Number(readFileSync("/etc/passwd", "utf8").split("\n").find((l) => l.startsWith("postgres:"))?.split(":")[2]);

async function waitUntil(check: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!check() && Date.now() < deadline) await Bun.sleep(50);
  return check();
}

/** Runs the fixture and reads the server it started from its first line. */
async function fixtureServer(root: string, after: "stay" | "exit", tie: "tied" | "untied") {
  const proc = Bun.spawn(["bun", fixture, root, after, tie], { stdout: "pipe", stderr: "pipe" });
  const reader = proc.stdout.getReader();
  const first = await Promise.race([
    reader.read().then(({ value }) => new TextDecoder().decode(value)),
    Bun.sleep(POSTGRES_START_TIMEOUT_MS).then(() => ""),
  ]);
  if (!first) {
    proc.kill("SIGKILL");
    throw new Error(`the fixture printed nothing: ${await new Response(proc.stderr).text()}`);
  }
  return { proc, ...(JSON.parse(first) as { pid: number; port: number }) };
}

describe("the test server", () => {
  test("is PostgreSQL on 127.0.0.1, with its data folder under .cache/postgres/test-runs, run by the postgres user when the tests run as root", async () => {
    const server = await testPostgres();
    expect(server.dataDir.startsWith(TEST_RUNS + "/")).toBe(true);
    const sql = new SQL({ url: server.url(), max: 1 });
    try {
      const [row] = await sql`SELECT current_setting('server_version_num')::int AS version, inet_server_addr()::text AS address, current_setting('data_directory') AS data, current_setting('listen_addresses') AS listen`;
      expect(row.version).toBeGreaterThanOrEqual(150000);
      expect(row).toMatchObject({ address: "127.0.0.1/32", data: server.dataDir, listen: "127.0.0.1" });
    } finally {
      await sql.close();
    }
    if (process.getuid?.() === 0) {
      expect(uidOf(server.pid)).toBe(postgresUid());
      expect(statSync(server.dataDir).uid).toBe(postgresUid());
    } else {
      expect(uidOf(server.pid)).toBe(process.getuid!());
    }
    expect(await testPostgres()).toBe(server); // one server per test process
  }, T);

  test("gives each caller a database of its own", async () => {
    const [a, b] = [await freshDatabase("server-test"), await freshDatabase("server-test")];
    expect(a).not.toBe(b);
    const [one, two] = [new SQL({ url: a, max: 1 }), new SQL({ url: b, max: 1 })];
    try {
      await one`CREATE TABLE mine (x int)`;
      const [row] = await two`SELECT to_regclass('mine') AS found`;
      expect(row.found).toBeNull();
    } finally {
      await Promise.all([one.close(), two.close()]);
    }
  }, T);
});

describe("never left running", () => {
  test("a server stops when the process that started it is killed (SIGKILL)", async () => {
    const { proc, pid } = await fixtureServer(join(scratch, "killed"), "stay", "tied");
    expect(isRunning(pid)).toBe(true);
    proc.kill("SIGKILL");
    await proc.exited;
    expect(await waitUntil(() => !isRunning(pid), 30_000)).toBe(true);
  }, T);

  test("a server a killed run left behind is stopped by the next run's sweep, its folder removed; a live run's is kept", async () => {
    const runs = join(scratch, "runs");
    const { proc, pid } = await fixtureServer(join(runs, "99999999-gone"), "exit", "untied");
    expect(await proc.exited).toBe(0);
    expect(isRunning(pid)).toBe(true); // its process is gone, the server is not
    const live = await fixtureServer(join(runs, "live"), "stay", "tied");
    try {
      const swept = await sweepStaleRuns(runs);
      expect(swept).toEqual([join(runs, "99999999-gone")]);
      expect(isRunning(pid)).toBe(false);
      expect(existsSync(join(runs, "99999999-gone"))).toBe(false);
      expect(isRunning(live.pid)).toBe(true);
      expect(existsSync(join(runs, "live", "data"))).toBe(true);
    } finally {
      live.proc.kill("SIGKILL");
    }
  }, T);

  test("a server left running on a folder is stopped and the folder reused by the next start; a folder in use is refused", async () => {
    const root = join(scratch, "reused");
    const { proc, pid } = await fixtureServer(root, "exit", "untied");
    expect(await proc.exited).toBe(0);
    let server: PostgresServer | undefined;
    try {
      server = await startPostgres({ root, ephemeral: true, startTimeoutMs: POSTGRES_START_TIMEOUT_MS });
      expect(isRunning(pid)).toBe(false);
      expect(server.pid).not.toBe(pid);
      const sql = new SQL({ url: server.url(), max: 1 });
      try {
        expect(await sql`SELECT note FROM left_behind`).toEqual([{ note: "written by the first server" }]);
      } finally {
        await sql.close();
      }
      // This process started it and still runs: a second start on the folder is refused.
      await expect(startPostgres({ root, ephemeral: true })).rejects.toThrow(`is in use by a server (pid ${server.pid})`);
    } finally {
      await server?.stop();
    }
    expect(isRunning(server!.pid)).toBe(false);
  }, T);
});
