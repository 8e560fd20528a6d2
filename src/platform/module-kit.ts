import type { AnyElysia } from "elysia";
import { migrationsFolder } from "./db/migrations-folder";
import { openModuleDatabase, type ModuleDatabase } from "./db/open-database";
import { SqliteUnitOfWork } from "./db/unit-of-work.sqlite";
import { OutboxRelay } from "./events/outbox-relay";
import { SqliteOutbox } from "./events/outbox.sqlite";
import type { Logger } from "./logger";
import type { ModuleDeps, ShopModule } from "./module";

export interface ModuleKitSpec<TSchema extends Record<string, unknown>> {
  /** The module's name: its database file, its log field, its outbox's metrics label. */
  name: string;
  schema: TSchema;
  /** The migrations folder beside the module's source (a bundled image has them under MIGRATIONS_ROOT). */
  migrations: string;
  /** Whether the module raises events: it then gets an outbox and a relay publishing it to the bus. */
  raisesEvents: boolean;
}

/** Work a module runs beside its requests (consumers, sweeps, live streams): started after the relay, stopped before it. */
export interface BackgroundWork {
  start(): void | Promise<void>;
  stop(): void | Promise<void>;
}

/**
 * What every module with a database needs, in one place: the database opened and migrated, the
 * unit of work through which it writes (rows and the events they raise commit together; the relay
 * hears of them after the commit), the relay, and the lifecycle an entrypoint drives: ready while
 * the database answers; start the relay, then the module's background work; stop both in reverse,
 * then close the database.
 *
 * SQLite for now (`dialect`). The PostgreSQL work chooses the dialect here, per module, from
 * configuration: a pool instead of a file, PostgreSQL migrations, a PostgreSQL UnitOfWork and
 * OutboxStore; the module's factory then builds its repositories for that dialect.
 */
export interface ModuleKit<TSchema extends Record<string, unknown>> {
  readonly dialect: "sqlite";
  readonly log: Logger;
  readonly database: ModuleDatabase<TSchema>;
  readonly units: SqliteUnitOfWork;
  /** The ShopModule an entrypoint mounts. `drain` ends long-lived responses at shutdown. */
  lifecycle(parts: { routes: AnyElysia; background?: BackgroundWork; drain?: () => void }): ShopModule;
}

export function openModuleKit<TSchema extends Record<string, unknown>>(deps: ModuleDeps, spec: ModuleKitSpec<TSchema>): ModuleKit<TSchema> {
  const log = deps.log.child({ module: spec.name });
  const database = openModuleDatabase(deps.dataDir, spec.name, spec.schema, migrationsFolder(spec.name, spec.migrations));
  const outbox = spec.raisesEvents ? new SqliteOutbox(database.sqlite) : undefined;
  const relay = outbox ? new OutboxRelay(outbox, deps.bus, log, { module: spec.name }) : undefined;
  const units = new SqliteUnitOfWork(database.sqlite, outbox, spec.name);
  return {
    dialect: "sqlite",
    log,
    database,
    units,
    lifecycle({ routes, background, drain }) {
      let open = true;
      return {
        name: spec.name,
        routes,
        ready: () => open && database.answers(),
        ...(drain ? { drain } : {}),
        async start() {
          relay?.start();
          await background?.start();
        },
        async stop() {
          await background?.stop();
          await relay?.stop();
          open = false;
          database.close();
        },
      };
    },
  };
}
