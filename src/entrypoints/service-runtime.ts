// What every split-mode entrypoint shares: configuration, the bus (Kafka, or holding events in
// the outbox when no broker is configured), the HTTP shell, and an orderly start and stop.
import { hostname } from "node:os";
import { RemoteSessionCheck } from "../platform/auth/remote-session-check";
import { CachedSessionCheck, type SessionCheck } from "../platform/auth/session-check";
import { TokenService } from "../platform/auth/tokens";
import { ConfigError, loadConfigOrExit, type Config } from "../platform/config";
import { setCommitSync } from "../platform/db/group-commit";
import type { EventBus } from "../platform/events/event";
import { HoldingBus } from "../platform/events/holding-bus";
import { KafkaBus } from "../platform/events/kafka-bus";
import { EVENT_AGGREGATES } from "../platform/events/topics";
import { ClientAddresses } from "../platform/http/client-address";
import { createHttpApp } from "../platform/http/create-app";
import { ServiceClient } from "../platform/http/service-client";
import { serveUntilSignalled } from "../platform/lifecycle";
import { createLogger, type Logger } from "../platform/logger";
import { initTracing } from "../platform/observability/tracing";
import { guardProcess } from "../platform/process-guard";
import type { ModuleDeps, ShopModule } from "../platform/module";

export interface ServiceContext {
  config: Config;
  log: Logger;
  tokens: TokenService;
  bus: EventBus;
  deps: ModuleDeps;
  /** The replica URLs of another module (its *_URL, comma-separated), or exit naming the missing variable. */
  urlsOf(module: "catalog" | "cart" | "order" | "payment"): string[];
  /** A unique name for this process (consumer groups that must see every event). */
  instanceId: string;
  /** Who the client is (the gateway's X-Forwarded-For, trusted from TRUSTED_PROXIES only). */
  addresses: ClientAddresses;
}

/**
 * Whether a user's token is still live is answered by the identity owner (the gateway,
 * IDENTITY_URL) over HTTP, cached for TOKEN_CHECK_CACHE_MS; the gateway itself (`ownsIdentity`)
 * sets its own check once it has opened the identity database.
 */
export function serviceContext(service: string, opts: { ownsIdentity?: boolean } = {}): ServiceContext {
  const config = loadConfigOrExit();
  guardProcess();
  setCommitSync(config.sqliteCommitSync);
  initTracing(service);
  const log = createLogger(config.logLevel, { service });
  const tokens = new TokenService(config.tokenSecret, config.tokenTtlSeconds);
  if (!opts.ownsIdentity) tokens.checkSessionsWith(remoteSessionCheck(config, tokens, service));
  let bus: EventBus;
  if (config.kafkaBrokers.length) {
    bus = new KafkaBus({ brokers: config.kafkaBrokers, clientId: `shop-${service}`, topics: [...EVENT_AGGREGATES], log, busyPublishIntervalMs: config.kafkaPublishIntervalMs });
  } else {
    bus = new HoldingBus();
    log.warn("KAFKA_BROKERS is not set: events are kept in the outbox until a broker is configured");
  }
  return {
    config,
    log,
    tokens,
    bus,
    deps: { dataDir: config.dataDir, databases: config.databases, bus, log, tokens },
    instanceId: `${hostname()}-${process.pid}`,
    addresses: new ClientAddresses(config.trustedProxies),
    urlsOf(module) {
      const urls = config.urls[module];
      if (!urls) {
        console.error(new ConfigError(`${module.toUpperCase()}_URL`, `is required to run ${service} in split mode`).message);
        process.exit(78);
      }
      return urls;
    },
  };
}

function remoteSessionCheck(config: Config, tokens: TokenService, service: string): SessionCheck {
  if (!config.identityUrl) {
    console.error(new ConfigError("IDENTITY_URL", `is required to run ${service} in split mode (the gateway's URL: it says whether a user's token is still live)`).message);
    process.exit(78);
  }
  const identity = new ServiceClient({ dependency: "identity", baseUrl: config.identityUrl, tokens, caller: service, timeoutMs: 2000, attempts: 2 });
  return new CachedSessionCheck(new RemoteSessionCheck(identity), config.tokenCheckCacheMs);
}

/** Mounts one module behind the shared HTTP shell, starts it, and serves until SIGTERM. */
export async function runService(ctx: ServiceContext, title: string, module: ShopModule) {
  const app = createHttpApp({
    title,
    log: ctx.log,
    maxBodyBytes: ctx.config.maxBodyBytes,
    requestLog: ctx.config.requestLog,
    metricsPort: ctx.config.metricsPort,
    readiness: [module],
    dependenciesMayBeDown: true, // the gateway's session check, and the modules this one calls
  }).use(module.routes);
  await ctx.bus.start();
  await module.start();
  await serveUntilSignalled(
    app,
    ctx.config,
    ctx.log,
    async () => {
      await module.stop();
      await ctx.bus.stop();
    },
    () => module.drain?.(),
  );
  return app;
}

/** Options for a contract's HTTP adapter: this service calls that module. */
export const clientOptions = (ctx: ServiceContext, caller: string, module: "catalog" | "cart" | "order" | "payment") => ({
  baseUrl: ctx.urlsOf(module),
  tokens: ctx.tokens,
  caller,
});
