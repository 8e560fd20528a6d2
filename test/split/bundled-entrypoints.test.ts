import { afterAll, beforeAll, expect, test } from "bun:test";
import { cpSync, existsSync, mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { DEMO } from "../support/http-client";
import { repoRoot, tempDir } from "../support/processes";
import { CARDS, Shop } from "../support/shop";
import { SplitShop, type ServiceName } from "../support/split-shop";

// The images run one bundled file per service, not the source tree: build the bundles the way
// the Dockerfile does, run them from a folder that holds only the bundles and the migrations,
// and check a checkout across them.
const out = tempDir("shop-bundles-");
const services: ServiceName[] = ["catalog", "cart", "order", "payment", "gateway"];
let split: SplitShop;

beforeAll(async () => {
  for (const name of services) {
    const build = Bun.spawnSync(
      ["bun", "build", "--target", "bun", "--minify-syntax", join(repoRoot, "src/entrypoints", `${name}.ts`), "--outdir", join(out, name), "--entry-naming", "server.[ext]"],
      { cwd: repoRoot, stderr: "pipe" },
    );
    if (build.exitCode !== 0) throw new Error(`bundling ${name} failed: ${build.stderr}`);
  }
  mkdirSync(join(out, "migrations"));
  cpSync(join(repoRoot, "src/platform/auth/migrations"), join(out, "migrations/identity"), { recursive: true });
  for (const m of ["catalog", "cart", "order", "payment"]) cpSync(join(repoRoot, "src/modules", m, "migrations"), join(out, "migrations", m), { recursive: true });
  split = await new SplitShop({ SEED_CATALOG: "false", MIGRATIONS_ROOT: join(out, "migrations") }, (name) => join(out, name, "server.js")).start();
}, 120_000);
afterAll(async () => {
  await split?.stop();
});

test("each bundle is one self-contained file that starts, migrates and serves", async () => {
  for (const name of services) expect(existsSync(join(out, name, "server.js"))).toBe(true);
  const shop = await Shop.connect(split.url);
  const alice = await shop.anon.login("alice", DEMO.alice);
  const productId = await shop.product(2);
  await shop.addToCart(alice, productId, 2);
  const res = await shop.checkout(alice, CARDS.ok);
  expect(res.status).toBe(201);
  expect(await shop.stock(productId)).toBe(0);
});

test("each bundle carries the API reference's script beside it (the page works offline in the images)", async () => {
  const res = await fetch(`${split.url}/openapi/assets/scalar.js`);
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toContain("javascript");
  expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(1_000_000);
  for (const name of services) expect(readdirSync(join(out, name)).some((f) => /^standalone-\w+\.js$/.test(f))).toBe(true);
}, 30_000);
