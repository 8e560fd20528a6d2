// What one checkout costs the database: runs the all-in-one shop with count-sql.preload.ts, does
// N checkouts one after another (add, add, POST /api/orders), waits for the in-process relay,
// and prints the SQLite work per checkout. `bun bench/micro/checkout-anatomy.ts [N]` (loopback).
// One customer at a time, so every unit of work commits alone (BEGIN/COMMIT per unit); under
// concurrent load the units of one event-loop turn share a commit (group commit).
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "../../test/support/processes";
import { prepareShop } from "../lib/prepare";
import { startInstrumentedShop } from "../lib/shops";

const n = Number(process.argv[2] ?? 200);
const countsFile = join(tempDir("bench-anatomy-"), "counts.json");
const shop = await startInstrumentedShop(["--preload", join(import.meta.dir, "count-sql.preload.ts")], { BENCH_SQL_COUNTS: countsFile });
const { url, proc } = shop;
try {
  const [line] = (await prepareShop(url, { customers: 1, runId: Date.now().toString(36) })).customerLines;
  const [token, a, b] = line!.split(" ");
  const post = async (path: string, body: unknown, extra: Record<string, string> = {}) => {
    const res = await fetch(url + path, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${token}`, ...extra }, body: JSON.stringify(body) });
    if (res.status !== 201) throw new Error(`${path} -> ${res.status}: ${await res.text()}`);
  };
  const checkout = async (i: number) => {
    await post("/api/cart/items", { productId: a, quantity: 1 });
    await post("/api/cart/items", { productId: b, quantity: 1 });
    await post("/api/orders", { cardNumber: "4242424242424242" }, { "idempotency-key": `anatomy-${i}` });
  };
  for (let i = 0; i < 20; i++) await checkout(-i - 1); // warm-up: lazily prepared statements
  await Bun.sleep(300);
  proc.kill("SIGUSR1");
  await Bun.sleep(100);
  for (let i = 0; i < n; i++) await checkout(i);
  await Bun.sleep(500); // the relay and the cart's order.paid handler run after the answer
  proc.kill("SIGUSR2");
  await Bun.sleep(300);
  const counts = JSON.parse(readFileSync(countsFile, "utf8")) as Record<string, number>;
  console.log(`SQLite work per checkout (2 cart adds + POST /api/orders + what the events trigger), mean of ${n}:`);
  for (const [k, v] of Object.entries(counts).sort()) console.log(`  ${(v / n).toFixed(1).padStart(6)}  ${k}`);
  console.log("(one checkout at a time: each unit commits alone; concurrent checkouts share commits)");
} finally {
  await shop.stop();
  rmSync(join(countsFile, ".."), { recursive: true, force: true });
}
