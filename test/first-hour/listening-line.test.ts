import { afterAll, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { repoRoot, startEntrypoint, type ServerProcess } from "../support/processes";

// `bun src/entrypoints/all.ts` (what `npm start` runs) serves the built dashboard without WEB_DIST,
// and its "listening" line names the page to open and, in development, the operator sign-in.
const started: ServerProcess[] = [];
afterAll(async () => {
  for (const p of started) await p.stop();
}, 60_000);

const listeningLine = (output: string) =>
  output
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l))
    .find((l) => l.msg === "listening");

test("in development: the dashboard at / and a listening line naming the URL and the sign-in", async () => {
  expect(existsSync(join(repoRoot, "web", "dist", "index.html"))).toBe(true); // built by `npm test` / `npm start`
  const shop = await startEntrypoint("all.ts", { WEB_DIST: "", NODE_ENV: "development", LOG_LEVEL: "info" });
  started.push(shop);

  const page = await fetch(`${shop.url}/`);
  expect(page.status).toBe(200);
  expect(await page.text()).toContain("<!doctype html");

  const line = listeningLine(shop.output());
  expect(line).toMatchObject({ url: `${shop.url}/`, open: `${shop.url}/`, signIn: "ops / ops-password", pid: shop.proc.pid });
}, 60_000);

test("in production the line names the URL but no sign-in", async () => {
  const shop = await startEntrypoint("all.ts", {
    NODE_ENV: "production",
    LOG_LEVEL: "info",
    TOKEN_SECRET: "x".repeat(40),
    DEMO_ALICE_PASSWORD: "alice-secret-1",
    DEMO_BOB_PASSWORD: "bob-secret-12",
    DEMO_OPS_PASSWORD: "ops-secret-123",
  });
  started.push(shop);
  const line = listeningLine(shop.output());
  expect(line.url).toBe(`${shop.url}/`);
  expect(line.signIn).toBeUndefined();
  expect(shop.output()).not.toContain("ops-secret-123");
}, 60_000);
