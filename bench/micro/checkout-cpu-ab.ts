// Server CPU per checkout of two checkouts of the code, A against B: both worktrees' all-in-one shops
// (SQLite, the bench's configuration) run at once and are driven in alternating blocks of checkouts
// (A B, B A, A B, ...), so a machine shared with other work loads both alike; a sequence of fresh
// shops (checkout-only.ts) drifts with that load by ±15%. CPU is the server process's utime+stime
// from /proc over each block (10 ms ticks: keep a block above ~0.5 s of CPU).
//   bun bench/micro/checkout-cpu-ab.ts <worktree A> <worktree B> [--blocks N] [--checkouts N] [--connections N]   (loopback, bounded)
// Each shop is started by its own worktree's bench/lib/shops.ts, so it runs that worktree's code.
// A dependency-free client (fetch): 2 cart adds and POST /api/orders per checkout, one customer per connection.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";

const argv = process.argv.slice(2);
const flag = (name: string, fallback: number, max: number) => {
  const at = argv.indexOf(name);
  const value = at >= 0 ? Number(argv.splice(at, 2)[1]) : fallback;
  if (!Number.isInteger(value) || value < 1 || value > max) throw new Error(`${name} must be a whole number from 1 to ${max}`);
  return value;
};
const blocks = flag("--blocks", 10, 40);
const perBlock = flag("--checkouts", 1500, 20_000);
const connections = flag("--connections", 64, 256);
if (argv.length !== 2) throw new Error("usage: bun bench/micro/checkout-cpu-ab.ts <worktree A> <worktree B> [--blocks N] [--checkouts N] [--connections N]");
const REQUEST_TIMEOUT_MS = 30_000;

const cpuTicks = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return Number(fields[11]) + Number(fields[12]); // utime, stime (clock ticks of 10 ms)
};

async function startFrom(worktree: string) {
  const { startShop } = await import(resolve(worktree, "bench/lib/shops.ts"));
  const { prepareShop } = await import(resolve(worktree, "bench/lib/prepare.ts"));
  const shop = await startShop("all");
  const prepared = await prepareShop(shop.url, { customers: connections, runId: Date.now().toString(36) });
  return { worktree, shop, pid: shop.serverPids[0] as number, customers: prepared.customerLines as string[], sent: 0, usPerCheckout: [] as number[] };
}
type Side = Awaited<ReturnType<typeof startFrom>>;

async function post(url: string, token: string, body: unknown, extra: Record<string, string> = {}) {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}`, ...extra },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const text = await res.text();
  if (res.status !== 201) throw new Error(`POST ${url} -> ${res.status}: ${text.slice(0, 300)}`);
}

/** `count` checkouts, one customer per connection, each customer's one after another. */
async function checkouts(side: Side, count: number) {
  let started = 0;
  await Promise.all(
    side.customers.map(async (line) => {
      const [token, a, b] = line.split(" ") as [string, string, string];
      while (started < count) {
        started++;
        await post(`${side.shop.url}/api/cart/items`, token, { productId: a, quantity: 1 });
        await post(`${side.shop.url}/api/cart/items`, token, { productId: b, quantity: 1 });
        await post(`${side.shop.url}/api/orders`, token, { cardNumber: "4242424242424242" }, { "idempotency-key": `cpu-ab-${side.sent++}` });
      }
    }),
  );
}

const sides: Side[] = [];
try {
  for (const worktree of argv) sides.push(await startFrom(worktree));
  for (const side of sides) await checkouts(side, 200); // warm-up: JIT, lazily prepared statements
  for (let block = 0; block < blocks; block++) {
    for (const side of block % 2 ? [...sides].reverse() : sides) {
      await Bun.sleep(200); // the other shop's relay tail is not this block's
      const before = cpuTicks(side.pid);
      await checkouts(side, perBlock);
      await Bun.sleep(200); // this block's relay tail (events after the last answer)
      side.usPerCheckout.push(((cpuTicks(side.pid) - before) * 10_000) / perBlock);
    }
  }
  const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[xs.length >> 1]!;
  const [a, b] = sides as [Side, Side];
  for (const [name, side] of [["A", a], ["B", b]] as const) {
    console.log(`${name} ${side.worktree}: median ${median(side.usPerCheckout).toFixed(0)} µs server CPU per checkout [${side.usPerCheckout.map((x) => x.toFixed(0)).join(" ")}]`);
  }
  const diffs = a.usPerCheckout.map((x, i) => b.usPerCheckout[i]! / x - 1);
  console.log(`B against A, block by block: median ${(median(diffs) * 100).toFixed(1)}% [${diffs.map((d) => (d * 100).toFixed(0)).join(" ")}] (${connections} connections, ${perBlock} checkouts a block)`);
} finally {
  for (const side of sides) await side.shop.stop();
}
