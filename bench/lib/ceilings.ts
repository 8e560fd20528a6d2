// The ceilings, measured in the same run on the same machine: a bare Elysia + SQLite server for
// the reads (same generator and settings as the shop's read workloads), and the checkout's
// writes as bare SQLite transactions.
import { Database } from "bun:sqlite";
import { rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { applyModuleMigrations, shopPragmas } from "../ceiling/module-schema";
import { freePort, tempDir, waitForOk } from "../../test/support/processes";
import type { ServerUse } from "./postgres-usage";
import type { Prepared } from "./prepare";
import { flushDisks, type ReadWorkload } from "./workloads";

const CEILING_DIR = join(import.meta.dir, "..", "ceiling");

export interface ReadCeilings {
  byId: ReadWorkload;
  search: ReadWorkload;
}

export interface CheckoutCeiling {
  /** All of a checkout's writes in one transaction: what the hardware allows. */
  oneTx: number;
  /** The same writes in the commits the shop makes today (one per step plus the relay's). */
  perStep: number;
  seconds: number;
  /** The same writes as ONE PostgreSQL transaction through Bun SQL (bench/ceiling/postgres-checkout.ts), when PostgreSQL is measured. */
  postgresOneTx?: number;
  postgresServer?: ServerUse;
}

/** Copies the shop's product rows into a fresh file with the catalog's own schema. */
function productsFile(products: Prepared["products"]): string {
  const file = join(tempDir("bench-bare-"), "catalog.sqlite");
  const db = new Database(file, { create: true, strict: true });
  shopPragmas(db);
  applyModuleMigrations(db, "catalog");
  const insert = db.query(
    "INSERT INTO products (id, name, description, category, price_cents, currency, stock, image_url, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
  );
  db.transaction(() => {
    for (const p of products) insert.run(p.id as string, p.name as string, p.description as string, p.category as string, p.priceCents as number, p.currency as string, p.stock as number, (p.imageUrl as string | null) ?? null, p.createdAt as string, p.updatedAt as string);
  })();
  db.run("PRAGMA wal_checkpoint(TRUNCATE)");
  db.close();
  return file;
}

export async function measureReadCeilings(
  prepared: Prepared,
  measure: (url: string, pids: number[]) => Promise<ReadCeilings>,
): Promise<ReadCeilings> {
  const port = freePort();
  const file = productsFile(prepared.products);
  const proc = Bun.spawn(["bun", join(CEILING_DIR, "bare-elysia.ts"), file, String(port)], { stdout: "ignore", stderr: "inherit" });
  try {
    const url = `http://127.0.0.1:${port}`;
    await waitForOk(`${url}${prepared.productPaths[0]}`, 20_000, proc);
    return await measure(url, [proc.pid]);
  } finally {
    proc.kill("SIGTERM");
    await proc.exited;
    rmSync(dirname(file), { recursive: true, force: true });
  }
}

async function sqliteCheckouts(seconds: number, variant: "one-tx" | "per-step"): Promise<number> {
  flushDisks();
  const proc = Bun.spawn(["bun", join(CEILING_DIR, "sqlite-checkout.ts"), String(seconds), "2000000", variant], {
    env: process.env, // not Bun's start-up copy: --data-root sets TMPDIR after start
    stdout: "pipe",
    stderr: "inherit",
  });
  const out = await new Response(proc.stdout).text();
  if ((await proc.exited) !== 0) throw new Error(`sqlite ceiling (${variant}) failed: ${out}`);
  return JSON.parse(out.trim().split("\n").pop()!).perSecond;
}

export async function measureCheckoutCeiling(seconds: number): Promise<CheckoutCeiling> {
  return { oneTx: await sqliteCheckouts(seconds, "one-tx"), perStep: await sqliteCheckouts(seconds, "per-step"), seconds };
}
