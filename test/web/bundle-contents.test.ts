// The dashboard takes its types and constant lists (ORDER_STATUSES) from the modules' contracts,
// which also build the API's TypeBox schemas. The bundle must keep only the lists: no TypeBox, no
// schema, nothing of the server. Builds the dashboard into a temporary folder (web/dist is left alone).
import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const root = join(import.meta.dir, "..", "..");
const outDir = mkdtempSync(join(tmpdir(), "bun-shop-web-"));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

test(
  "the dashboard bundle holds the contracts' lists but no TypeBox schema and no server code",
  async () => {
    const build = Bun.spawn(["bun", "x", "vite", "build", "web", "--outDir", outDir, "--emptyOutDir", "--logLevel", "error"], { cwd: root, stdout: "pipe", stderr: "pipe" });
    const timer = setTimeout(() => build.kill(), 110_000);
    const [code, err] = [await build.exited, await new Response(build.stderr).text()];
    clearTimeout(timer);
    expect({ code, err }).toEqual({ code: 0, err: "" });

    const assets = join(outDir, "assets");
    const js = readdirSync(assets)
      .filter((f) => f.endsWith(".js"))
      .map((f) => readFileSync(join(assets, f), "utf8"))
      .join("\n");
    // ORDER_STATUSES, the contract's list, made it in (whatever quotes the minifier chose).
    expect(js).toMatch(/PENDING.{1,3}PAID.{1,3}SHIPPED.{1,3}DELIVERED.{1,3}CANCELLED.{1,3}PAYMENT_FAILED/);
    for (const marker of ["TypeBox.Kind", "minLength", "idempotency-key", "bun:sqlite", "drizzle", "kafkajs", "Elysia"]) {
      expect([marker, js.includes(marker)]).toEqual([marker, false]);
    }
  },
  { timeout: 120_000 },
);
