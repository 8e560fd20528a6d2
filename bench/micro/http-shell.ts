// What the shop's HTTP shell costs a catalog read, layer by layer: the same product-by-id route
// (cached bun:sqlite statement, so the query is not what is measured) served
//   1. bare: Elysia's own listen(), no middleware (the bench's read ceiling),
//   2. + the shop's shell, createHttpApp (request-target check, security headers, request span and
//      trace context, request id, metrics, log hook, errors, OpenAPI, health), served with listen()
//      as src/platform/lifecycle.ts does,
//   3. + a response schema for a product (Elysia validates every answer; the shop's catalog
//      reads document theirs instead),
//   4. + the query through drizzle, prepared once with a placeholder (product-repository.ts since 2ab7bb7),
//   5. instead, drizzle building and preparing the SQL on every call (as before 2ab7bb7).
//   bun bench/micro/http-shell.ts [--seconds N] [--connections N]   (loopback, wrk, bounded)
import { Database } from "bun:sqlite";
import { eq, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/bun-sqlite";
import { Elysia } from "elysia";
import { rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { Product } from "../../src/modules/catalog";
import { products } from "../../src/modules/catalog/schema";
import { createHttpApp } from "../../src/platform/http/create-app";
import { createLogger } from "../../src/platform/logger";
import { initTracing } from "../../src/platform/observability/tracing";
import { freePort, tempDir, waitForOk } from "../../test/support/processes";
import { parseArgs } from "../lib/args";
import { measureCpu } from "../lib/cpu";
import { runWrk } from "../lib/wrk";
import { applyModuleMigrations, shopPragmas } from "../ceiling/module-schema";

const LAYERS = ["bare", "shell", "response-schema", "drizzle-prepared", "drizzle-per-call"] as const;
type Layer = (typeof LAYERS)[number];
const ID = "0190aaaa-0000-7000-8000-000000000001";

function serve(layer: Layer, file: string, port: number) {
  const db = new Database(file, { readonly: true, strict: true });
  const byId = db.query(
    "SELECT id, name, description, category, price_cents AS priceCents, currency, stock, image_url AS imageUrl, created_at AS createdAt, updated_at AS updatedAt FROM products WHERE id = ?",
  );
  const at = LAYERS.indexOf(layer);
  const orm = drizzle({ client: db, schema: { products } });
  const prepared = orm.select().from(products).where(eq(products.id, sql.placeholder("id"))).prepare();
  type Ctx = { params: { id: string } };
  const route =
    at === 4 ? ({ params }: Ctx) => orm.select().from(products).where(eq(products.id, params.id)).get()
    : at === 3 ? ({ params }: Ctx) => prepared.get({ id: params.id })
    : ({ params }: Ctx) => byId.get(params.id);
  if (at === 0) return void new Elysia().get("/api/products/:id", route).listen({ port, hostname: "127.0.0.1" });
  initTracing("bench");
  createHttpApp({ title: "bench", log: createLogger("warn"), maxBodyBytes: 65536, readiness: [] })
    .get("/api/products/:id", route, at >= 2 ? { response: Product } : {})
    .listen({ port, hostname: "127.0.0.1" });
}

if (process.argv[2] === "--serve") {
  serve(process.argv[3] as Layer, process.argv[4]!, Number(process.argv[5]));
} else {
  const args = parseArgs(process.argv.slice(2));
  const file = join(tempDir("bench-shell-"), "catalog.sqlite");
  const db = new Database(file, { create: true, strict: true });
  shopPragmas(db);
  applyModuleMigrations(db, "catalog");
  const now = new Date().toISOString();
  db.query("INSERT INTO products (id, name, description, category, price_cents, currency, stock, created_at, updated_at) VALUES (?, 'Aeropress Coffee Maker', 'Immersion and pressure brewer', 'kitchen', 3995, 'EUR', 120, ?, ?)").run(ID, now, now);
  db.close();
  const paths = join(tempDir("bench-shell-"), "paths.txt");
  await Bun.write(paths, `/api/products/${ID}\n`);
  let base = 0;
  for (const layer of LAYERS) {
    const port = freePort();
    const proc = Bun.spawn(["bun", import.meta.path, "--serve", layer, file, String(port)], { stdout: "inherit", stderr: "inherit", env: { ...process.env, LOG_LEVEL: "warn" } });
    try {
      const url = `http://127.0.0.1:${port}`;
      await waitForOk(`${url}/api/products/${ID}`, 20_000, proc);
      const wrk = (seconds: number) =>
        runWrk({ url, script: "read.lua", threads: args.readThreads, connections: args.connections, seconds, maxRequests: args.requests, env: { BENCH_PATHS: paths } });
      await wrk(args.warmupSeconds);
      const cpu = measureCpu([proc.pid]);
      const r = await wrk(args.seconds);
      const use = cpu.stop();
      base ||= r.rps;
      console.log(`${layer.padEnd(16)} ${Math.round(r.rps).toLocaleString("en-US").padStart(9)} req/s  ${((r.rps / base) * 100).toFixed(0).padStart(3)}% of bare  p99 ${r.latencyMs.p99.toFixed(2)} ms  server CPU ${use.serverPct.toFixed(0)}%  errors ${r.errors}`);
    } finally {
      proc.kill("SIGTERM");
      await proc.exited;
    }
  }
  for (const f of [file, paths]) rmSync(dirname(f), { recursive: true, force: true });
}
