// Several processes starting at once against one PostgreSQL (replicas, a rolling deploy) migrate it
// once: real processes, released together, each opening every module's schema as a start does.
import { expect, test } from "bun:test";
import { join } from "node:path";
import { SQL } from "bun";
import { readMigrations } from "../../src/platform/db/postgres/migrate";
import { freshDatabase, POSTGRES_START_TIMEOUT_MS } from "../support/postgres";
import { MODULE_DATABASES } from "./module-databases";

const PROCESSES = 6;
const fixture = join(import.meta.dir, "fixtures", "migrate-process.ts");

/** The first line a process prints, within `ms`. */
async function firstLine(stream: ReadableStream<Uint8Array>, ms: number): Promise<{ line: string; rest: ReadableStreamDefaultReader<Uint8Array> }> {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let text = "";
  const deadline = Date.now() + ms;
  while (!text.includes("\n")) {
    const chunk = await Promise.race([reader.read(), Bun.sleep(Math.max(1, deadline - Date.now())).then(() => null)]);
    if (!chunk || chunk.done) throw new Error(`no line within ${ms} ms (got "${text}")`);
    text += decoder.decode(chunk.value, { stream: true });
  }
  return { line: text.slice(0, text.indexOf("\n")), rest: reader };
}

test(`${PROCESSES} processes starting at once migrate each module's schema once`, async () => {
  const url = await freshDatabase("concurrent-migrations");
  const procs = Array.from({ length: PROCESSES }, () => Bun.spawn(["bun", fixture, url], { stdin: "pipe", stdout: "pipe", stderr: "pipe" }));
  try {
    const readers = await Promise.all(procs.map(async (p) => {
      const { line, rest } = await firstLine(p.stdout, 60_000);
      expect(line).toBe("ready");
      return rest;
    }));
    for (const p of procs) p.stdin.write("go\n"); // released together
    for (const p of procs) p.stdin.flush();
    const reports = await Promise.all(procs.map(async (p, i) => {
      const [code, err] = await Promise.race([
        Promise.all([p.exited, new Response(p.stderr).text()]),
        Bun.sleep(60_000).then(() => [-1, "timed out"] as const),
      ]);
      let out = "";
      for (let chunk = await readers[i]!.read(); !chunk.done; chunk = await readers[i]!.read()) out += new TextDecoder().decode(chunk.value);
      expect({ code, err }).toEqual({ code: 0, err: "" });
      return JSON.parse(out) as { applied: Record<string, string[]>; waited: string[] };
    }));

    const sql = new SQL({ url, max: 1 });
    try {
      for (const { module, postgresFolder } of MODULE_DATABASES) {
        const tags = readMigrations(postgresFolder).map((m) => m.tag);
        const appliers = reports.filter((r) => r.applied[module]!.length > 0);
        expect(appliers).toHaveLength(1);
        expect(appliers[0]!.applied[module]).toEqual(tags);
        const recorded = await sql.unsafe(`SELECT tag, count(*)::int AS n FROM "${module}".schema_migrations GROUP BY tag ORDER BY tag`);
        expect(recorded).toEqual(tags.map((tag) => ({ tag, n: 1 })));
      }
    } finally {
      await sql.close();
    }
    // They did start together: some found another process migrating and waited for it.
    expect(reports.flatMap((r) => r.waited).length).toBeGreaterThan(0);
  } finally {
    for (const p of procs) p.kill("SIGKILL");
  }
}, POSTGRES_START_TIMEOUT_MS + 120_000);
