// DATABASE_URL / <MODULE>_DATABASE_URL choose PostgreSQL per module; without them SQLite under
// DATA_DIR. Bad values stop the start naming the variable, never printing the password.
import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { databaseFor, DATABASE_MODULES, loadConfig } from "../../src/platform/config";
import { freePort, runToExit } from "../support/processes";

const URL_A = "postgres://shop:s3cret@127.0.0.1:5432/shop";
const URL_B = "postgresql://catalog:0ther@db.internal:6543/catalog?sslmode=require";

describe("which database each module uses", () => {
  test("without a database URL: each module's own SQLite file under DATA_DIR", () => {
    const config = loadConfig({ DATA_DIR: "/srv/shop" });
    for (const m of DATABASE_MODULES) expect(databaseFor(config, m)).toEqual({ engine: "sqlite", file: join("/srv/shop", `${m}.sqlite`) });
  });

  test("DATABASE_URL: every module in PostgreSQL, each in its own schema", () => {
    const config = loadConfig({ DATABASE_URL: URL_A });
    for (const m of DATABASE_MODULES) expect(databaseFor(config, m)).toEqual({ engine: "postgres", url: URL_A, variable: "DATABASE_URL", schema: m });
  });

  test("<MODULE>_DATABASE_URL: that module alone, over DATABASE_URL", () => {
    const one = loadConfig({ CATALOG_DATABASE_URL: URL_B });
    expect(databaseFor(one, "catalog")).toEqual({ engine: "postgres", url: URL_B, variable: "CATALOG_DATABASE_URL", schema: "catalog" });
    for (const m of ["cart", "order", "payment", "identity"] as const) expect(databaseFor(one, m).engine).toBe("sqlite");

    const both = loadConfig({ DATABASE_URL: URL_A, ORDER_DATABASE_URL: URL_B, IDENTITY_DATABASE_URL: URL_B });
    expect(databaseFor(both, "order")).toMatchObject({ url: URL_B, variable: "ORDER_DATABASE_URL", schema: "order" });
    expect(databaseFor(both, "identity")).toMatchObject({ url: URL_B, variable: "IDENTITY_DATABASE_URL", schema: "identity" });
    expect(databaseFor(both, "payment")).toMatchObject({ url: URL_A, variable: "DATABASE_URL", schema: "payment" });
  });

  test.each([
    ["DATABASE_URL", "mysql://shop:s3cret@127.0.0.1/shop", "must be a postgres://"],
    ["DATABASE_URL", "shop:s3cret@127.0.0.1/shop", "must be a postgres://"],
    ["DATABASE_URL", "postgres://shop:s3:cr/et@127.0.0.1/shop", "must be a URL like postgres://"],
    ["CART_DATABASE_URL", "postgres://shop:s3cret@127.0.0.1:5432/", "must name the database"],
    ["CART_DATABASE_URL", "postgres://shop:s3cret@127.0.0.1:5432/a/b", "must name the database"],
    ["ORDER_DATABASE_URL", "postgres://shop:s3cret@127.0.0.1:99999/shop", "must be a URL like postgres://"],
    ["PAYMENT_DATABASE_URL", "postgres://shop:s3cret@127.0.0.1/shop?ssl=true", 'parameter this shop does not read ("ssl"'],
    ["IDENTITY_DATABASE_URL", "postgres://shop:s3cret@127.0.0.1/shop?sslmode=always", "sslmode must be"],
    ["CATALOG_DATABASE_URL", "postgres://shop:s3cret@/shop", "must be a URL like postgres://"],
    ["CATALOG_DATABASE_URL", "postgres:///shop", "names no host"],
  ])("%s=%s is refused, naming the variable and hiding the password", (variable, value, problem) => {
    let message = "";
    try {
      loadConfig({ [variable]: value });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain(`Invalid configuration: ${variable} `);
    expect(message).toContain(problem);
    expect(message).not.toMatch(/s3|cr\/et/);
  });
});

describe("a PostgreSQL that cannot be reached at start", () => {
  test.each([
    ["all.ts", "DATABASE_URL"],
    ["catalog.ts", "CATALOG_DATABASE_URL"],
  ] as const)("%s stops before listening, naming %s and hiding the password", async (entry, variable) => {
    // A loopback port nothing listens on: the connection is refused at once.
    const url = `postgres://shop:s3cret@127.0.0.1:${freePort()}/shop`;
    const result = await runToExit(entry, { [variable]: url, PORT: String(freePort()), IDENTITY_URL: "http://127.0.0.1:9" }, { timeoutMs: 30_000 });
    expect(result.exitCode).not.toBe(0);
    expect(result.output).toContain(`${variable} (postgres://shop:***@127.0.0.1:`);
    expect(result.output).toContain("connection refused");
    expect(result.output).not.toContain("s3cret");
    expect(result.output).not.toContain('"msg":"listening"');
  }, 60_000);
});
