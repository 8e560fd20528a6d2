// Typed configuration from the environment. Every value has a working local default;
// a bad value stops the process with a message that names the variable.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { COMMIT_SYNCS, type CommitSync } from "./db/group-commit";
import { parseProxyEntry } from "./http/client-address";
import type { ThrottleRule } from "./throttling/rate-limiter";

export class ConfigError extends Error {
  constructor(variable: string, problem: string) {
    super(`Invalid configuration: ${variable} ${problem}`);
    this.name = "ConfigError";
  }
}

type Env = Record<string, string | undefined>;

export type NodeEnv = "development" | "test" | "production";

export interface Config {
  port: number;
  /** Listen address of the public port and of the metrics port. */
  host: string;
  /** /metrics is served on this port alone when set (production default 9464); else on the public port. */
  metricsPort?: number;
  /** Share the port with other processes (SO_REUSEPORT) instead of failing when it is taken. */
  reusePort: boolean;
  /**
   * Seconds a keep-alive connection may sit idle before the server closes it (the live stream is
   * exempt). Without a bound, one client holding ~20,000 idle connections made the shop unreachable.
   */
  idleTimeoutSeconds: number;
  dataDir: string;
  nodeEnv: NodeEnv;
  tokenSecret: string;
  tokenTtlSeconds: number;
  demoPasswords: { alice: string; bob: string; ops: string };
  seedCatalog: boolean;
  /** Each module's replicas (its *_URL, comma-separated). */
  urls: { catalog?: string[]; cart?: string[]; order?: string[]; payment?: string[] };
  kafkaBrokers: string[];
  /** Split mode: while events keep coming, a relay publishes to Kafka at most once per this many ms (0: after every commit). */
  kafkaPublishIntervalMs: number;
  logLevel: "debug" | "info" | "warn" | "error" | "silent";
  /** Info lines for requests: every failed or slow one, one in `every` of the rest. */
  requestLog: { every: number; slowMs: number };
  maxBodyBytes: number;
  webDist?: string;
  /** Split mode: where the identity owner (the gateway) answers whether a token's session is live. */
  identityUrl?: string;
  /** How long a process reuses its answer about a token's session: the revocation delay across processes. */
  tokenCheckCacheMs: number;
  /** Peers whose X-Forwarded-For names the client (IP addresses or CIDR ranges). */
  trustedProxies: string[];
  throttle: Record<ThrottleRuleName, ThrottleRule>;
  /** The order module's periodic recovery: a sweep every `everyMs` settles checkouts untouched for `afterMs`. */
  checkoutSweep: CheckoutSweep;
  /** Each module's database: read it with databaseFor. */
  databases: Record<DatabaseModule, DatabaseChoice>;
  /** SQLite: where a group commit's batch is synced to disk (CommitSync in db/group-commit.ts). */
  sqliteCommitSync: CommitSync;
}

export interface CheckoutSweep {
  everyMs: number;
  afterMs: number;
}

/** The databases: one per module, and the platform's identity database (the gateway's in split mode). */
export const DATABASE_MODULES = ["catalog", "cart", "order", "payment", "identity"] as const;
export type DatabaseModule = (typeof DATABASE_MODULES)[number];

/**
 * Where a module keeps its data: its own SQLite file under DATA_DIR (the default), or, when
 * DATABASE_URL or <MODULE>_DATABASE_URL is set, its own schema (named after the module) in that
 * PostgreSQL database. Modules sharing one database still never read each other's schema.
 */
export type DatabaseChoice =
  | { engine: "sqlite"; file: string }
  | { engine: "postgres"; url: string; /** The variable the URL came from, for messages. */ variable: string; schema: string };

/** Which engine a module's data lives in, and where. */
export function databaseFor(config: Pick<Config, "databases">, module: DatabaseModule): DatabaseChoice {
  return config.databases[module];
}

/** The dashboard built in this checkout (`web/dist`): served at / when WEB_DIST is not set. */
export const BUILT_DASHBOARD = join(import.meta.dir, "..", "..", "web", "dist");

export type ThrottleRuleName = "signInPerAccount" | "signInPerAddress" | "registrationPerAddress" | "declinedPerAccount" | "declinedPerAddress";

/** Each rule: its variable, its metric label, and its default "attempts/seconds". */
const THROTTLE_RULES: Record<ThrottleRuleName, { variable: string; name: string; fallback: string }> = {
  signInPerAccount: { variable: "THROTTLE_SIGN_IN_PER_ACCOUNT", name: "sign_in_account", fallback: "5/900" },
  signInPerAddress: { variable: "THROTTLE_SIGN_IN_PER_ADDRESS", name: "sign_in_address", fallback: "30/900" },
  registrationPerAddress: { variable: "THROTTLE_REGISTRATION_PER_ADDRESS", name: "registration_address", fallback: "20/3600" },
  declinedPerAccount: { variable: "THROTTLE_DECLINED_PER_ACCOUNT", name: "declined_payment_account", fallback: "5/3600" },
  declinedPerAddress: { variable: "THROTTLE_DECLINED_PER_ADDRESS", name: "declined_payment_address", fallback: "10/3600" },
};

const DEV_SECRET = "dev-only-secret-change-me-0123456789abcdef";
const DEV_PASSWORDS = { alice: "alice-password", bob: "bob-password", ops: "ops-password" };

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  if (raw !== "true" && raw !== "false") throw new ConfigError(name, `must be true or false, got "${raw}"`);
  return raw === "true";
}

function url(env: Env, name: string): string | undefined {
  const raw = env[name];
  if (!raw) return undefined;
  try {
    const parsed = new URL(raw);
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") throw new Error();
  } catch {
    throw new ConfigError(name, `must be an http(s) URL, got "${raw}"`);
  }
  return raw.replace(/\/+$/, "");
}

/** A comma-separated list of replica URLs, each checked; a duplicate is refused (it would get twice the calls). */
function urlList(env: Env, name: string): string[] | undefined {
  const raw = env[name];
  if (!raw) return undefined;
  const entries = raw.split(",").map((entry) => entry.trim());
  const urls = entries.map((entry, i) => {
    if (!entry) throw new ConfigError(name, `has an empty entry (number ${i + 1}) in "${raw}": list replica URLs separated by single commas`);
    return url({ [name]: entry }, name)!;
  });
  const repeated = urls.find((u, i) => urls.indexOf(u) !== i);
  if (repeated) throw new ConfigError(name, `lists ${repeated} twice`);
  return urls;
}

/** The value with whatever sits between the user's ":" and the last "@" replaced by ***: safe to print, even malformed. */
export function redactUrl(raw: string): string {
  const at = raw.lastIndexOf("@");
  if (at < 0) return raw;
  const scheme = raw.indexOf("://");
  const colon = raw.indexOf(":", scheme >= 0 && scheme < at ? scheme + 3 : 0);
  return colon < 0 || colon > at ? raw : `${raw.slice(0, colon)}:***${raw.slice(at)}`;
}

const SSL_MODES = ["disable", "prefer", "require", "verify-ca", "verify-full"];

/** postgres://user:password@host[:port]/database[?sslmode=…]: parsed here so a typo stops the start, not the first query. */
function postgresUrl(variable: string, raw: string): string {
  const shown = redactUrl(raw);
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(variable, `must be a URL like postgres://user:password@host:5432/database, got "${shown}"`);
  }
  if (parsed.protocol !== "postgres:" && parsed.protocol !== "postgresql:") {
    throw new ConfigError(variable, `must be a postgres:// (or postgresql://) URL, got "${shown}"`);
  }
  if (!parsed.hostname) throw new ConfigError(variable, `names no host, got "${shown}"`);
  const database = parsed.pathname.replace(/^\//, "");
  if (!database || database.includes("/")) throw new ConfigError(variable, `must name the database after the host (…:5432/shop), got "${shown}"`);
  for (const [key, value] of parsed.searchParams) {
    if (key !== "sslmode") throw new ConfigError(variable, `has a parameter this shop does not read ("${key}"; only sslmode), got "${shown}"`);
    if (!SSL_MODES.includes(value)) throw new ConfigError(variable, `sslmode must be ${SSL_MODES.join(", ")}, got "${value}"`);
  }
  return raw;
}

/** <MODULE>_DATABASE_URL, else DATABASE_URL, else the module's SQLite file under DATA_DIR. */
function databases(env: Env, dataDir: string): Record<DatabaseModule, DatabaseChoice> {
  const shared = env.DATABASE_URL ? postgresUrl("DATABASE_URL", env.DATABASE_URL) : undefined;
  const choices = {} as Record<DatabaseModule, DatabaseChoice>;
  for (const module of DATABASE_MODULES) {
    const variable = `${module.toUpperCase()}_DATABASE_URL`;
    const own = env[variable] ? postgresUrl(variable, env[variable]!) : undefined;
    choices[module] = own
      ? { engine: "postgres", url: own, variable, schema: module }
      : shared
        ? { engine: "postgres", url: shared, variable: "DATABASE_URL", schema: module }
        : { engine: "sqlite", file: join(dataDir, `${module}.sqlite`) };
  }
  return choices;
}

/** "attempts/seconds", e.g. 5/900: at most 5 in any window of 15 minutes opened by a first attempt. */
function throttleRule(env: Env, variable: string, name: string, fallback: string): ThrottleRule {
  const raw = env[variable] || fallback;
  const match = /^(\d+)\/(\d+)$/.exec(raw);
  const limit = Number(match?.[1]);
  const windowSeconds = Number(match?.[2]);
  if (!match || limit < 1 || limit > 1_000_000 || windowSeconds < 1 || windowSeconds > 7 * 24 * 3600) {
    throw new ConfigError(variable, `must be attempts/seconds with 1-1000000 attempts and 1-604800 seconds (e.g. ${fallback}), got "${raw}"`);
  }
  return { name, limit, windowSeconds };
}

/**
 * CHECKOUT_SWEEP_EVERY_MS (30 s) and CHECKOUT_SWEEP_AFTER_MS (2 min). Both at least 1 s: a sweep
 * lists the unfinished orders and claims each one, so running it more often than every second
 * costs queries and lock round trips for nothing; and a checkout younger than a second is
 * practically always one a client is still running or about to retry (a live one is claimed and
 * skipped anyway, so the floor keeps noise down, not correctness). The defaults leave a client
 * two minutes to retry a checkout a dependency outage left PENDING before it is settled. At most
 * an hour between sweeps and a day untouched: longer would leave reserved stock held for no one.
 */
function checkoutSweep(env: Env): CheckoutSweep {
  return {
    everyMs: int(env, "CHECKOUT_SWEEP_EVERY_MS", 30_000, 1000, 3_600_000),
    afterMs: int(env, "CHECKOUT_SWEEP_AFTER_MS", 120_000, 1000, 86_400_000),
  };
}

function trustedProxies(env: Env): string[] {
  const entries = (env.TRUSTED_PROXIES || "").split(",").map((e) => e.trim()).filter(Boolean);
  for (const entry of entries) {
    if (!parseProxyEntry(entry)) throw new ConfigError("TRUSTED_PROXIES", `must be IP addresses or CIDR ranges, comma-separated, got "${entry}"`);
  }
  return entries;
}

export function loadConfig(env: Env = process.env): Config {
  const nodeEnvRaw = env.NODE_ENV || "development";
  if (!["development", "test", "production"].includes(nodeEnvRaw)) {
    throw new ConfigError("NODE_ENV", `must be development, test or production, got "${nodeEnvRaw}"`);
  }
  const nodeEnv = nodeEnvRaw as NodeEnv;
  const production = nodeEnv === "production";

  // Development defaults are documented in the README; production refuses them.
  const tokenSecret = env.TOKEN_SECRET || (production ? "" : DEV_SECRET);
  if (!tokenSecret) throw new ConfigError("TOKEN_SECRET", "is required in production");
  if (tokenSecret.length < 32) throw new ConfigError("TOKEN_SECRET", "must be at least 32 characters");
  if (production && tokenSecret === DEV_SECRET) throw new ConfigError("TOKEN_SECRET", "must not be the development default in production");

  const demoPasswords = { alice: "", bob: "", ops: "" };
  for (const user of ["alice", "bob", "ops"] as const) {
    const name = `DEMO_${user.toUpperCase()}_PASSWORD`;
    const value = env[name] || (production ? "" : DEV_PASSWORDS[user]);
    if (!value) throw new ConfigError(name, "is required in production");
    if (value.length < 8) throw new ConfigError(name, "must be at least 8 characters");
    demoPasswords[user] = value;
  }

  const logLevel = (env.LOG_LEVEL || (nodeEnv === "test" ? "warn" : "info")) as Config["logLevel"];
  if (!["debug", "info", "warn", "error", "silent"].includes(logLevel)) {
    throw new ConfigError("LOG_LEVEL", `must be debug, info, warn, error or silent, got "${logLevel}"`);
  }

  const seed = env.SEED_CATALOG ?? "true";
  if (seed !== "true" && seed !== "false") throw new ConfigError("SEED_CATALOG", `must be true or false, got "${seed}"`);

  const kafkaBrokers = (env.KAFKA_BROKERS || "").split(",").map((b) => b.trim()).filter(Boolean);
  for (const broker of kafkaBrokers) {
    if (!/^[\w.-]+:\d+$/.test(broker)) throw new ConfigError("KAFKA_BROKERS", `must be host:port[,host:port], got "${broker}"`);
  }

  const port = int(env, "PORT", 3000, 0, 65535);
  const host = env.HOST || "0.0.0.0";
  if (!/^[\w.:-]+$/.test(host)) throw new ConfigError("HOST", `must be a host name or an IP address, got "${host}"`);
  // Metrics stay off the public origin in production; in development they are one URL away.
  const metricsPort = env.METRICS_PORT ? int(env, "METRICS_PORT", 0, 0, 65535) : production ? 9464 : undefined;
  if (metricsPort !== undefined && metricsPort !== 0 && metricsPort === port) {
    throw new ConfigError("METRICS_PORT", `must differ from PORT (${port}): metrics have their own listener`);
  }

  const dataDir = env.DATA_DIR || "./data";

  const sqliteCommitSync = (env.SQLITE_COMMIT_SYNC || "auto") as CommitSync;
  if (!COMMIT_SYNCS.includes(sqliteCommitSync)) {
    throw new ConfigError("SQLITE_COMMIT_SYNC", `must be ${COMMIT_SYNCS.join(", ")}, got "${sqliteCommitSync}"`);
  }

  return {
    port,
    host,
    metricsPort,
    reusePort: bool(env, "REUSE_PORT", false),
    idleTimeoutSeconds: int(env, "HTTP_IDLE_TIMEOUT_SECONDS", 30, 1, 255), // 255: Bun's most
    dataDir,
    nodeEnv,
    tokenSecret,
    tokenTtlSeconds: int(env, "TOKEN_TTL_SECONDS", 8 * 3600, 60, 30 * 24 * 3600),
    demoPasswords,
    seedCatalog: seed === "true",
    urls: {
      catalog: urlList(env, "CATALOG_URL"),
      cart: urlList(env, "CART_URL"),
      order: urlList(env, "ORDER_URL"),
      payment: urlList(env, "PAYMENT_URL"),
    },
    kafkaBrokers,
    // 100 ms: split mode's CPU per checkout fell by 13-29% against 25 ms (bench/README.md); events are
    // never on a response's path, so the cost is up to 100 ms more before a consumer sees an event under load.
    kafkaPublishIntervalMs: int(env, "KAFKA_PUBLISH_INTERVAL_MS", 100, 0, 1000),
    logLevel,
    requestLog: { every: int(env, "LOG_REQUEST_SAMPLE", 10, 1, 1_000_000), slowMs: int(env, "LOG_SLOW_MS", 100, 0, 3_600_000) },
    maxBodyBytes: int(env, "MAX_BODY_BYTES", 64 * 1024, 1024, 16 * 1024 * 1024),
    webDist: env.WEB_DIST || (existsSync(join(BUILT_DASHBOARD, "index.html")) ? BUILT_DASHBOARD : undefined),
    identityUrl: url(env, "IDENTITY_URL"),
    tokenCheckCacheMs: int(env, "TOKEN_CHECK_CACHE_MS", 2000, 0, 60_000),
    trustedProxies: trustedProxies(env),
    throttle: Object.fromEntries(
      Object.entries(THROTTLE_RULES).map(([key, r]) => [key, throttleRule(env, r.variable, r.name, r.fallback)]),
    ) as Config["throttle"],
    checkoutSweep: checkoutSweep(env),
    databases: databases(env, dataDir),
    sqliteCommitSync,
  };
}

/**
 * How an operator signs in, for the line that says where to open the dashboard: development only
 * (the demo accounts are documented there), and never a password that was set on purpose.
 */
export function operatorSignIn(config: Config): string | undefined {
  if (config.nodeEnv !== "development") return undefined;
  return config.demoPasswords.ops === DEV_PASSWORDS.ops ? `ops / ${DEV_PASSWORDS.ops}` : "ops / the DEMO_OPS_PASSWORD you set";
}

/** Loads the configuration or exits with the message naming the bad variable. */
export function loadConfigOrExit(env: Env = process.env): Config {
  try {
    return loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
}
