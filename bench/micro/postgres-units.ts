// Is pipelining or batching worth it for the shop's own units of work on PostgreSQL? Drives the
// order module's real repository (PostgresOrderRepository: placePending, then update to PAID, two
// of a checkout's units, each with its outbox event) from concurrent customers through a pool of
// the module's size, on a server of its own (fsync and synchronous_commit on), three ways:
//   as-is      the code as it is: each unit its own transaction, its statements awaited in turn,
//              its events appended after the change (PostgresUnitOfWork)
//   pipelined  the same statements and outcomes, those that do not wait on an answer sent together
//              inside the transaction (Bun SQL pipelines them on the connection): placePending's key,
//              order and event in one round trip; update's row lock, then its change and event
//   pipelined-insert  only placePending's key and order inserts sent together, events after: the
//              change that would stay inside the repository (the others need the unit of work's API)
//   batch-N    the repository as it is over a group commit: up to N units of different customers
//              in one transaction, each in its own savepoint (one failing unit undoes only its own)
// Prints one JSON line per run (order pairs per second, p50/p99 of a pair, the server's and this
// process's CPU per pair) and checks the database holds exactly the rows each run wrote.
//   bun bench/micro/postgres-units.ts [--seconds N] [--clients N] [--connections N] [--rounds N]
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { SQL } from "bun";
import { POSTGRES_CACHE, startPostgres } from "../../scripts/postgres/server";
import type { Order } from "../../src/modules/order";
import { orderEvents } from "../../src/modules/order/order-events";
import { PostgresOrderRepository } from "../../src/modules/order/order-repository.postgres";
import type { IdempotencyRecord, OrderRepository, PlacedResult } from "../../src/modules/order/order-repository";
import { moveOrder } from "../../src/modules/order/order-status-machine";
import { idempotencyKeys, orders } from "../../src/modules/order/postgres-schema";
import { PostgresTable } from "../../src/platform/db/postgres/table.postgres";
import { postgresMigrationsFolder } from "../../src/platform/db/postgres/migrate";
import { postgresPool } from "../../src/platform/db/postgres/open-postgres";
import type { UnitOutcome } from "../../src/platform/db/unit-of-work";
import { PostgresUnitOfWork } from "../../src/platform/db/unit-of-work.postgres";
import { PostgresOutbox } from "../../src/platform/events/outbox.postgres";
import { newId } from "../../src/platform/ids";
import { wholeFlag } from "../lib/flags";
import { measurePostgres } from "../lib/postgres-usage";
import { percentile } from "../lib/percentile";

type Variant = "as-is" | "pipelined" | "pipelined-insert" | `batch-${number}`;

const arg = (name: string, fallback: number) => wholeFlag(process.argv.slice(2), name, fallback, 10_000);
const SECONDS = arg("seconds", 5);
const CLIENTS = arg("clients", 64);
const CONNECTIONS = arg("connections", 4); // the order module's pool (platform/module-kit.ts)
const ROUNDS = arg("rounds", 2);
const VARIANTS: Variant[] = ["as-is", "pipelined", "pipelined-insert", "batch-4", "batch-16"];

// --- pipelined: the repository's statements (order-repository.postgres.ts), sent together ---
const o = new PostgresTable(orders);
const k = new PostgresTable(idempotencyKeys);
const ORDER = ["id", "userId", "username", "status", "items", "totalCents", "currency", "paymentId", "failureReason", "history", "createdAt", "updatedAt"] as const;
const CHANGING = ["status", "paymentId", "failureReason", "history", "updatedAt"] as const;
const INSERT_KEY = `${k.insert()} ON CONFLICT DO NOTHING`;
const INSERT_ORDER = `${o.insert([...ORDER, "cartRevision"])} ON CONFLICT DO NOTHING`;
const BY_ID_LOCKED = `SELECT ${o.select([...ORDER])} FROM ${o.name} WHERE ${o.column("id")} = $1 FOR UPDATE`;
const SAVE = `UPDATE ${o.name} SET ${o.assign([...CHANGING], 2)} WHERE ${o.column("id")} = $1`;

class PipelinedOrders {
  /** eventsWithChange false: only placePending's two inserts go together, the event after (the change local to the repository). */
  constructor(private readonly sql: SQL, private readonly outbox: PostgresOutbox, private readonly eventsWithChange = true) {}

  async placePending(order: Order, cartRevision: number, key: IdempotencyRecord): Promise<PlacedResult> {
    try {
      return await this.sql.begin(async (tx) => {
        const [keyWritten, orderWritten] = await Promise.all([
          tx.unsafe(INSERT_KEY, k.values(key, k.keys())),
          tx.unsafe(INSERT_ORDER, o.values({ ...order, cartRevision }, [...ORDER, "cartRevision"])),
          this.eventsWithChange ? this.outbox.append(tx, orderEvents(undefined, order)) : undefined,
        ]);
        if (keyWritten.count === 0 || orderWritten.count === 0) throw new Refused(); // rolls back all three (the bench never sees it)
        if (!this.eventsWithChange) await this.outbox.append(tx, orderEvents(undefined, order));
        return { placed: true as const };
      });
    } catch (error) {
      if (error instanceof Refused) return { placed: false, keyTaken: true };
      throw error;
    }
  }

  update(id: string, change: (current: Order) => Order): Promise<Order> {
    return this.sql.begin(async (tx) => {
      const [current] = await tx.unsafe(BY_ID_LOCKED, [id]);
      const next = change(current);
      if (this.eventsWithChange) await Promise.all([tx.unsafe(SAVE, o.values(next, ["id", ...CHANGING])), this.outbox.append(tx, orderEvents(current, next))]);
      else {
        await tx.unsafe(SAVE, o.values(next, ["id", ...CHANGING]));
        await this.outbox.append(tx, orderEvents(current, next));
      }
      return next;
    }) as Promise<Order>;
  }
}
class Refused extends Error {}

// --- batch-N: a group commit with savepoints under the repository as it is ---
interface Queued {
  work: (tx: SQL) => UnitOutcome<unknown> | Promise<UnitOutcome<unknown>>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

class BatchingUnitOfWork {
  private readonly queue: Queued[] = [];
  private flushing = 0;

  constructor(private readonly sql: SQL, private readonly outbox: PostgresOutbox, private readonly max: number, private readonly transactions: number) {}

  run<T>(work: (tx: SQL) => UnitOutcome<T> | Promise<UnitOutcome<T>>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (v: unknown) => void, reject });
      if (this.flushing < this.transactions) void this.flush();
    });
  }

  async writesOnDisk(): Promise<void> {}

  private async flush(): Promise<void> {
    this.flushing++;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.max);
        const settled: Array<() => void> = [];
        try {
          await this.sql.begin(async (tx) => {
            for (const unit of batch) {
              try {
                const outcome = await tx.savepoint(async (sp) => {
                  const result = await unit.work(sp);
                  if ("undone" in result) throw new UndoneUnit(result.undone);
                  if (result.events) await this.outbox.append(sp, result.events);
                  return result;
                });
                settled.push(() => unit.resolve((outcome as { kept: unknown }).kept));
              } catch (error) {
                settled.push(error instanceof UndoneUnit ? () => unit.resolve(error.result) : () => unit.reject(error));
              }
            }
          });
          for (const done of settled) done(); // after the COMMIT, as PostgresUnitOfWork answers
        } catch (error) {
          for (const unit of batch) unit.reject(error);
        }
      }
    } finally {
      this.flushing--;
    }
  }
}
class UndoneUnit extends Error {
  constructor(readonly result: unknown) {
    super("undone");
  }
}

// --- the workload ---
type Pair = { place(order: Order, revision: number, key: IdempotencyRecord): Promise<PlacedResult>; pay(id: string): Promise<Order> };
const pay = (current: Order) => ({ ...moveOrder(current, "PAID"), paymentId: `pay-${current.id}` });

function pairFor(variant: Variant, sql: SQL, outbox: PostgresOutbox): Pair {
  if (variant === "pipelined" || variant === "pipelined-insert") {
    const p = new PipelinedOrders(sql, outbox, variant === "pipelined");
    return { place: (order, revision, key) => p.placePending(order, revision, key), pay: (id) => p.update(id, pay) };
  }
  const units = variant === "as-is" ? new PostgresUnitOfWork(sql, outbox, "order") : new BatchingUnitOfWork(sql, outbox, Number(variant.slice(6)), CONNECTIONS);
  const repository: OrderRepository = new PostgresOrderRepository(sql, units as PostgresUnitOfWork);
  return { place: (order, revision, key) => repository.placePending(order, revision, key), pay: (id) => repository.update(id, pay) };
}

function anOrder(userId: string): Order {
  const at = new Date().toISOString();
  return {
    id: newId(), userId, username: userId, status: "PENDING", paymentId: null, failureReason: null, totalCents: 2460, currency: "EUR",
    items: [{ productId: "p-1", name: "Kettle", unitPriceCents: 1230, quantity: 2, lineTotalCents: 2460 }], history: [{ status: "PENDING", at }], createdAt: at, updatedAt: at,
  };
}


async function measure(variant: Variant, sql: SQL, outbox: PostgresOutbox, postmaster: number) {
  const pair = pairFor(variant, sql, outbox);
  const run = newId().slice(-8);
  const latencies: number[] = [];
  const customer = async (c: number, deadline: number, record: boolean) => {
    for (let revision = 1; performance.now() < deadline; revision++) {
      const userId = `${run}-${c}-${record ? "m" : "w"}`;
      const order = anOrder(userId);
      const started = performance.now();
      const placed = await pair.place(order, revision, { userId, key: order.id, requestHash: "h", orderId: order.id, createdAt: order.createdAt });
      if (!placed.placed) throw new Error(`${variant}: a fresh order was refused: ${JSON.stringify(placed)}`);
      await pair.pay(order.id);
      if (record) latencies.push(performance.now() - started);
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, (_, c) => customer(c, performance.now() + 1000, false))); // warm-up
  const server = measurePostgres(postmaster);
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  await Promise.all(Array.from({ length: CLIENTS }, (_, c) => customer(c, started + SECONDS * 1000, true)));
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const use = server.stop();
  // Exactly the rows this run wrote: every measured order PAID, two events each.
  const [{ paid, events }] = await sql.unsafe(
    `SELECT (SELECT count(*)::int FROM orders WHERE user_id LIKE $1 AND status = 'PAID') AS paid,
            (SELECT count(*)::int FROM outbox WHERE aggregate_id IN (SELECT id FROM orders WHERE user_id LIKE $1)) AS events`,
    [`${run}-%-m`],
  );
  if (paid !== latencies.length || events !== 2 * latencies.length) throw new Error(`${variant}: ${latencies.length} pairs but ${paid} paid orders and ${events} events`);
  latencies.sort((a, b) => a - b);
  const pairs = latencies.length;
  return {
    variant, clients: CLIENTS, connections: CONNECTIONS, pairs, perSecond: Math.round(pairs / seconds),
    p50Ms: +percentile(latencies, 50).toFixed(1), p99Ms: +percentile(latencies, 99).toFixed(1),
    serverCpuMsPerPair: +((use.cpuPct / 100) * seconds * 1000 / pairs).toFixed(3),
    driverCpuMsPerPair: +(((cpu.user + cpu.system) / 1000) / pairs).toFixed(3),
    serverCpuPct: Math.round(use.cpuPct),
  };
}

const root = join(POSTGRES_CACHE, `bench-units-${process.pid}`);
mkdirSync(POSTGRES_CACHE, { recursive: true });
const server = await startPostgres({ root, ephemeral: true }); // fsync and synchronous_commit on, as in production
try {
  const admin = new SQL({ url: server.url(), max: 1 });
  await admin`CREATE DATABASE bench_units`;
  await admin.close();
  const choice = { engine: "postgres" as const, url: server.url("bench_units"), variable: "DATABASE_URL", schema: "order" };
  const pool = postgresPool(choice, { migrationsFolder: postgresMigrationsFolder("order", join(import.meta.dir, "..", "..", "src", "modules", "order", "migrations")), max: CONNECTIONS });
  await pool.prepare();
  const outbox = new PostgresOutbox(pool.sql);
  for (let round = 1; round <= ROUNDS; round++) {
    for (const variant of VARIANTS) console.log(JSON.stringify({ round, ...(await measure(variant, pool.sql, outbox, server.pid)) }));
  }
  await pool.close();
} finally {
  await server.stop();
  rmSync(root, { recursive: true, force: true });
}
