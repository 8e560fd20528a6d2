import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { loadConfig } from "../../src/platform/config";

describe("configuration", () => {
  test("works with no variables at all, with documented development defaults", () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 3000, dataDir: "./data", nodeEnv: "development", kafkaBrokers: [] });
    expect(config.demoPasswords.ops).toBe("ops-password");
  });

  test.each([
    [{ PORT: "abc" }, "PORT"],
    [{ PORT: "70000" }, "PORT"],
    [{ NODE_ENV: "staging" }, "NODE_ENV"],
    [{ CATALOG_URL: "ftp://x" }, "CATALOG_URL"],
    [{ KAFKA_BROKERS: "localhost" }, "KAFKA_BROKERS"],
    [{ TOKEN_SECRET: "short" }, "TOKEN_SECRET"],
    [{ LOG_LEVEL: "loud" }, "LOG_LEVEL"],
  ])("a bad value names its variable: %j", (env, variable) => {
    expect(() => loadConfig(env)).toThrow(variable);
  });

  test("production refuses to start without a real secret and demo passwords", () => {
    expect(() => loadConfig({ NODE_ENV: "production" })).toThrow("TOKEN_SECRET is required in production");
    expect(() => loadConfig({ NODE_ENV: "production", TOKEN_SECRET: "x".repeat(40) })).toThrow("DEMO_ALICE_PASSWORD");
    const ok = loadConfig({
      NODE_ENV: "production",
      TOKEN_SECRET: "x".repeat(40),
      DEMO_ALICE_PASSWORD: "a".repeat(12),
      DEMO_BOB_PASSWORD: "b".repeat(12),
      DEMO_OPS_PASSWORD: "o".repeat(12),
    });
    expect(ok.nodeEnv).toBe("production");
  });

  test("the process exits with a message naming the variable", async () => {
    const proc = Bun.spawn(["bun", join(import.meta.dir, "../../src/entrypoints/all.ts")], {
      env: { ...process.env, PORT: "not-a-port", DATA_DIR: "/tmp/never-used" },
      stderr: "pipe",
      stdout: "pipe",
    });
    expect(await proc.exited).toBe(78);
    expect(await new Response(proc.stderr).text()).toContain("PORT must be a whole number");
  });
});
