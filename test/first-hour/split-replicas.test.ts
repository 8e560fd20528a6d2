import { expect, test } from "bun:test";
import { join } from "node:path";
import { repoRoot, runToExit, tempDir } from "../support/processes";

// `REPLICAS=N npm run split`: N processes of each service need PostgreSQL, since on SQLite each
// replica would keep a database of its own. Refused before anything starts, saying why.
const split = join(repoRoot, "scripts", "split.ts");
const noDatabases = { DATABASE_URL: "", CATALOG_DATABASE_URL: "", CART_DATABASE_URL: "", ORDER_DATABASE_URL: "", PAYMENT_DATABASE_URL: "" };

test("REPLICAS=2 on SQLite is refused naming PostgreSQL, and nothing is started", async () => {
  const dataDir = tempDir("shop-split-replicas-");
  const result = await runToExit(split, { ...noDatabases, REPLICAS: "2", DATA_DIR: dataDir, KAFKA_BROKERS: "127.0.0.1:1" }, { timeoutMs: 30_000 });
  expect(result.exitCode).toBe(78);
  expect(result.output).toContain("REPLICAS=2 needs PostgreSQL: catalog, cart, order, payment would keep their data in SQLite files");
  expect(result.output).toContain("DATABASE_URL");
  expect(result.output).not.toContain("started (pid");
}, 40_000);

test("REPLICAS=2 with one module still on SQLite names that module", async () => {
  const pg = "postgres://shop:pw@127.0.0.1:1/shop";
  const env = { ...noDatabases, CATALOG_DATABASE_URL: pg, CART_DATABASE_URL: pg, ORDER_DATABASE_URL: pg, REPLICAS: "2", DATA_DIR: tempDir("shop-split-replicas-"), KAFKA_BROKERS: "127.0.0.1:1" };
  const result = await runToExit(split, env, { timeoutMs: 30_000 });
  expect(result.exitCode).toBe(78);
  expect(result.output).toContain("REPLICAS=2 needs PostgreSQL: payment would keep its data");
}, 40_000);

test("REPLICAS must be a small whole number", async () => {
  for (const bad of ["0", "two", "1.5", "10"]) {
    const result = await runToExit(split, { ...noDatabases, REPLICAS: bad, DATA_DIR: tempDir("shop-split-replicas-"), KAFKA_BROKERS: "127.0.0.1:1" }, { timeoutMs: 30_000 });
    expect(result.exitCode).toBe(78);
    expect(result.output).toContain(`REPLICAS must be a whole number from 1 to 9, got "${bad}"`);
  }
}, 60_000);
