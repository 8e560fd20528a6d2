import type { AnyElysia } from "elysia";
import type { TokenService } from "./auth/tokens";
import type { Config } from "./config";
import type { EventBus } from "./events/event";
import type { Logger } from "./logger";

/** What an entrypoint needs from a module to mount it, whichever mode it runs in. */
export interface ShopModule {
  name: string;
  routes: AnyElysia;
  /** True while the module's database is open and answers a query (readiness asks on every probe). */
  ready(): boolean | Promise<boolean>;
  /** Background work: the outbox relay, consumers, recovery of unfinished work. */
  start(): Promise<void>;
  /** Stops background work and closes the database. */
  stop(): Promise<void>;
  /** Ends long-lived responses at shutdown, before in-flight requests are awaited. */
  drain?(): void;
}

/** What every module factory gets from its entrypoint. */
export interface ModuleDeps {
  dataDir: string;
  /** Each module's database (config.databases, read with databaseFor); absent: SQLite files under dataDir. */
  databases?: Config["databases"];
  bus: EventBus;
  log: Logger;
  tokens: TokenService;
}
