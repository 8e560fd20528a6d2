// The shop on a PostgreSQL server that goes away and comes back: while it is down the process stays
// up and says so (readiness 503 naming every module, liveness 200), and once the server is back on the
// same address the pools reconnect by themselves and a checkout goes through, with no restart.
import { afterAll, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { SQL } from "bun";
import { startPostgres, type PostgresServer } from "../../scripts/postgres/server";
import { POSTGRES_START_TIMEOUT_MS, TEST_RUNS } from "../support/postgres";
import { startEntrypoint, type ServerProcess } from "../support/processes";
import { CARDS, Shop } from "../support/shop";
import { eventually } from "../support/sse";

// Its own server (the shared test server must stay up), in a run folder the stale-run sweep knows.
const root = join(TEST_RUNS, `${process.pid}-outage-${Math.random().toString(36).slice(2, 8)}`);
let server: PostgresServer | undefined;
let shop: ServerProcess | undefined;
afterAll(async () => {
  await shop?.stop();
  await server?.stop();
  rmSync(root, { recursive: true, force: true });
}, 60_000);

const readiness = async (url: string) => {
  const res = await fetch(`${url}/health/ready`);
  return { status: res.status, body: (await res.json()) as { modules: Record<string, string> } };
};

test("PostgreSQL down: not ready, still alive; back on the same address: ready again and checkouts work", async () => {
  server = await startPostgres({ root, ephemeral: true, startTimeoutMs: POSTGRES_START_TIMEOUT_MS });
  const admin = new SQL({ url: server.url("postgres"), max: 1 });
  await admin`CREATE DATABASE shop`;
  await admin.close();
  shop = await startEntrypoint("all.ts", { DATABASE_URL: server.url("shop"), SEED_CATALOG: "false" }, { readyTimeoutMs: 30_000 });
  const customerShop = await Shop.connect(shop.url);
  const product = await customerShop.product(5);

  const port = server.port;
  await server.stop();
  server = undefined;
  await eventually(async () => {
    const { status, body } = await readiness(shop!.url);
    expect(status).toBe(503);
    expect(body.modules).toEqual({ catalog: "not ready", payment: "not ready", cart: "not ready", order: "not ready", identity: "not ready" });
  }, 15_000);
  expect((await fetch(`${shop.url}/health/live`)).status).toBe(200);
  expect(shop.proc.exitCode).toBeNull();

  server = await startPostgres({ root, port, ephemeral: true, startTimeoutMs: POSTGRES_START_TIMEOUT_MS });
  await eventually(async () => expect((await readiness(shop!.url)).status).toBe(200), 30_000);
  const customer = await customerShop.anon.newCustomer("outage");
  await customerShop.addToCart(customer, product, 2);
  const order = await customerShop.checkout(customer, CARDS.ok);
  expect(order.status).toBe(201);
  expect(order.body.status).toBe("PAID");
  expect(await customerShop.stock(product)).toBe(3);
}, 180_000);
