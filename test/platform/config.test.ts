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
    [{ METRICS_PORT: "metrics" }, "METRICS_PORT"],
    [{ METRICS_PORT: "70000" }, "METRICS_PORT"],
    [{ METRICS_PORT: "3000" }, "METRICS_PORT must differ from PORT"],
    [{ PORT: "8080", METRICS_PORT: "8080" }, "METRICS_PORT must differ from PORT"],
    [{ REUSE_PORT: "yes" }, "REUSE_PORT"],
    [{ HTTP_IDLE_TIMEOUT_SECONDS: "0" }, "HTTP_IDLE_TIMEOUT_SECONDS must be between 1 and 255"],
    [{ HTTP_IDLE_TIMEOUT_SECONDS: "256" }, "HTTP_IDLE_TIMEOUT_SECONDS must be between 1 and 255"],
    [{ HOST: "0.0.0.0; rm" }, "HOST"],
    [{ THROTTLE_SIGN_IN_PER_ACCOUNT: "5" }, "THROTTLE_SIGN_IN_PER_ACCOUNT"],
    [{ THROTTLE_SIGN_IN_PER_ADDRESS: "0/900" }, "THROTTLE_SIGN_IN_PER_ADDRESS"],
    [{ THROTTLE_REGISTRATION_PER_ADDRESS: "10/0" }, "THROTTLE_REGISTRATION_PER_ADDRESS"],
    [{ THROTTLE_DECLINED_PER_ACCOUNT: "5/1y" }, "THROTTLE_DECLINED_PER_ACCOUNT"],
    [{ THROTTLE_DECLINED_PER_ADDRESS: "-1/60" }, "THROTTLE_DECLINED_PER_ADDRESS"],
    [{ TRUSTED_PROXIES: "127.0.0.1,gateway" }, "TRUSTED_PROXIES"],
    [{ TRUSTED_PROXIES: "10.0.0.0/40" }, "TRUSTED_PROXIES"],
    [{ IDENTITY_URL: "gateway:3000" }, "IDENTITY_URL"],
    [{ TOKEN_CHECK_CACHE_MS: "120000" }, "TOKEN_CHECK_CACHE_MS"],
    [{ CHECKOUT_SWEEP_EVERY_MS: "999" }, "CHECKOUT_SWEEP_EVERY_MS must be between 1000 and 3600000"],
    [{ CHECKOUT_SWEEP_EVERY_MS: "30s" }, "CHECKOUT_SWEEP_EVERY_MS must be a whole number"],
    [{ CHECKOUT_SWEEP_EVERY_MS: "3600001" }, "CHECKOUT_SWEEP_EVERY_MS"],
    [{ CHECKOUT_SWEEP_AFTER_MS: "0" }, "CHECKOUT_SWEEP_AFTER_MS must be between 1000 and 86400000"],
    [{ CHECKOUT_SWEEP_AFTER_MS: "-5000" }, "CHECKOUT_SWEEP_AFTER_MS must be a whole number"],
    [{ KAFKA_PUBLISH_INTERVAL_MS: "1001" }, "KAFKA_PUBLISH_INTERVAL_MS must be between 0 and 1000"],
    [{ KAFKA_PUBLISH_INTERVAL_MS: "0.5" }, "KAFKA_PUBLISH_INTERVAL_MS must be a whole number"],
    [{ SQLITE_COMMIT_SYNC: "off" }, 'SQLITE_COMMIT_SYNC must be auto, thread-pool, in-commit, got "off"'],
  ])("a bad value names its variable: %j", (env, variable) => {
    expect(() => loadConfig(env)).toThrow(variable);
  });

  test("throttling limits, trusted proxies and the token check cache: documented defaults, and settings", () => {
    const defaults = loadConfig({});
    expect(defaults.throttle).toEqual({
      signInPerAccount: { name: "sign_in_account", limit: 5, windowSeconds: 900 },
      signInPerAddress: { name: "sign_in_address", limit: 30, windowSeconds: 900 },
      registrationPerAddress: { name: "registration_address", limit: 20, windowSeconds: 3600 },
      declinedPerAccount: { name: "declined_payment_account", limit: 5, windowSeconds: 3600 },
      declinedPerAddress: { name: "declined_payment_address", limit: 10, windowSeconds: 3600 },
    });
    expect(defaults).toMatchObject({ trustedProxies: [], tokenCheckCacheMs: 2000, identityUrl: undefined });
    const set = loadConfig({ THROTTLE_SIGN_IN_PER_ACCOUNT: "3/2", TRUSTED_PROXIES: " 127.0.0.1, 10.244.0.0/16 ", TOKEN_CHECK_CACHE_MS: "0", IDENTITY_URL: "http://127.0.0.1:3000/" });
    expect(set.throttle.signInPerAccount).toEqual({ name: "sign_in_account", limit: 3, windowSeconds: 2 });
    expect(set).toMatchObject({ trustedProxies: ["127.0.0.1", "10.244.0.0/16"], tokenCheckCacheMs: 0, identityUrl: "http://127.0.0.1:3000" });
  });

  test("the periodic checkout sweep: every 30 s for checkouts untouched 2 minutes by default, and settings", () => {
    expect(loadConfig({}).checkoutSweep).toEqual({ everyMs: 30_000, afterMs: 120_000 });
    expect(loadConfig({ CHECKOUT_SWEEP_EVERY_MS: "1000", CHECKOUT_SWEEP_AFTER_MS: "1000" }).checkoutSweep).toEqual({ everyMs: 1000, afterMs: 1000 });
    expect(loadConfig({ CHECKOUT_SWEEP_EVERY_MS: "", CHECKOUT_SWEEP_AFTER_MS: "600000" }).checkoutSweep).toEqual({ everyMs: 30_000, afterMs: 600_000 });
  });

  test("the Kafka relay's publish interval: 100 ms by default, 0 publishes after every commit", () => {
    expect(loadConfig({}).kafkaPublishIntervalMs).toBe(100);
    expect(loadConfig({ KAFKA_PUBLISH_INTERVAL_MS: "0" }).kafkaPublishIntervalMs).toBe(0);
    expect(loadConfig({ KAFKA_PUBLISH_INTERVAL_MS: "1000" }).kafkaPublishIntervalMs).toBe(1000);
  });

  test("where SQLite commits are synced: auto by default, or either place on purpose", () => {
    expect(loadConfig({}).sqliteCommitSync).toBe("auto");
    expect(loadConfig({ SQLITE_COMMIT_SYNC: "thread-pool" }).sqliteCommitSync).toBe("thread-pool");
    expect(loadConfig({ SQLITE_COMMIT_SYNC: "in-commit" }).sqliteCommitSync).toBe("in-commit");
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

  test("metrics stay off the public port in production (9464 by default), on it in development and test", () => {
    const production = { NODE_ENV: "production", TOKEN_SECRET: "x".repeat(40), DEMO_ALICE_PASSWORD: "a".repeat(12), DEMO_BOB_PASSWORD: "b".repeat(12), DEMO_OPS_PASSWORD: "o".repeat(12) };
    expect(loadConfig(production).metricsPort).toBe(9464);
    expect(loadConfig({ ...production, METRICS_PORT: "9100" }).metricsPort).toBe(9100);
    expect(loadConfig({}).metricsPort).toBeUndefined();
    expect(loadConfig({ NODE_ENV: "test" }).metricsPort).toBeUndefined();
    expect(loadConfig({ METRICS_PORT: "9464" }).metricsPort).toBe(9464);
  });

  test("a port is not shared unless REUSE_PORT asks; HOST defaults to every interface", () => {
    expect(loadConfig({})).toMatchObject({ reusePort: false, host: "0.0.0.0", idleTimeoutSeconds: 30 });
    expect(loadConfig({ REUSE_PORT: "true", HOST: "127.0.0.1" })).toMatchObject({ reusePort: true, host: "127.0.0.1" });
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
