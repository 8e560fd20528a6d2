import { afterAll, beforeAll, expect, test } from "bun:test";
import { startEntrypoint, type ServerProcess } from "../support/processes";
import { SplitShop } from "../support/split-shop";

// The gateway's readiness asks each service it routes to: with services down it is not ready, and
// its answer names which one and why, within a bound however the service misbehaves.
let split: SplitShop;
const extra: ServerProcess[] = [];
const peers: Array<{ stop(force?: boolean): unknown }> = [];
beforeAll(async () => {
  split = await new SplitShop({ SEED_CATALOG: "false" }).start();
}, 120_000);
afterAll(async () => {
  for (const p of extra) await p.stop();
  for (const p of peers) p.stop(true);
  await split?.stop();
}, 60_000);

const ready = async (url: string) => {
  const started = performance.now();
  const res = await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(5_000) });
  return { status: res.status, body: (await res.json()) as any, ms: performance.now() - started };
};

test("ready with every service ready; a stopped service makes it not ready, naming it; ready again once it is back", async () => {
  const up = await ready(split.url);
  expect(up.status).toBe(200);
  expect(up.body.status).toBe("ready");
  expect(Object.keys(up.body.upstreams).sort()).toEqual(["cart", "catalog", "order", "payment"]);
  for (const u of Object.values(up.body.upstreams) as any[]) expect(u.status).toBe("ready");

  await split.stopOne("payment");
  const down = await ready(split.url);
  expect(down.status).toBe(503);
  expect(down.body.status).toBe("not ready");
  expect(down.body.upstreams.payment.status).toBe("unreachable");
  expect(down.body.upstreams.payment.reason).toBeString();
  expect(down.body.upstreams.catalog.status).toBe("ready");
  expect(down.body.modules).toEqual({ identity: "ready" });

  await split.startOne("payment");
  expect((await ready(split.url)).status).toBe(200);
}, 60_000);

test("with no service ready it is not ready (it used to say ready); hung services are asked in parallel, each bounded by the probe's timeout; a 503 is 'not ready'", async () => {
  // Real HTTP peers on loopback: three that never answer, one that says it is not ready.
  const hung = () => Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Promise<Response>(() => {}) });
  const [hungCatalog, hungOrder, hungPayment] = [hung(), hung(), hung()];
  const unready = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => Response.json({ status: "not ready" }, { status: 503 }) });
  peers.push(hungCatalog, hungOrder, hungPayment, unready);
  const gateway = await startEntrypoint(
    "gateway.ts",
    {
      CATALOG_URL: `http://127.0.0.1:${hungCatalog.port}`,
      CART_URL: `http://127.0.0.1:${unready.port}`,
      ORDER_URL: `http://127.0.0.1:${hungOrder.port}`,
      PAYMENT_URL: `http://127.0.0.1:${hungPayment.port}`,
    },
    { readyPath: "/health/live", readyTimeoutMs: 30_000 },
  );
  extra.push(gateway);

  const { status, body, ms } = await ready(gateway.url);
  expect(status).toBe(503);
  expect(body.status).toBe("not ready");
  expect(body.upstreams.catalog).toMatchObject({ status: "unreachable", reason: "no answer within 750 ms" });
  expect(body.upstreams.cart).toMatchObject({ status: "not ready", reason: "its /health/ready answered 503" });
  expect(body.upstreams.order).toMatchObject({ status: "unreachable", reason: "no answer within 750 ms" });
  expect(body.upstreams.payment).toMatchObject({ status: "unreachable", reason: "no answer within 750 ms" });
  // In parallel: one 750 ms wait, not three in a row (2,250 ms).
  expect(ms).toBeLessThan(2_000);
}, 60_000);
