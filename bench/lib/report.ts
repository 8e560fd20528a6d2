// Turns a run into the stdout table and the markdown results file, with the issue's targets
// checked for all-in-one mode.
import type { BenchArgs } from "./args";
import type { CheckoutCeiling, ReadCeilings } from "./ceilings";
import type { Machine } from "./machine";
import type { ServerUse } from "./postgres-usage";
import type { Percentiles } from "./wrk";
import type { CheckoutWorkload, ReadWorkload } from "./workloads";

export interface ModeResult {
  mode: "all" | "split";
  engine: "sqlite" | "postgres";
  /** The PostgreSQL server's own CPU and memory during each workload (engine postgres). */
  postgres?: { byId: ServerUse; search: ServerUse; checkout: ServerUse };
  processes: number;
  byId: ReadWorkload;
  search: ReadWorkload;
  checkout: CheckoutWorkload;
  /** Sum over the server processes of each one's peak RSS since start (VmHWM). */
  peakRssMb: number;
  brokerRssMb?: number;
}

export interface BenchRun {
  startedAt: string;
  machine: Machine;
  args: BenchArgs;
  readCeilings: ReadCeilings;
  checkoutCeiling: CheckoutCeiling;
  modes: ModeResult[];
}

const TARGETS = { readFraction: 0.6, ordersPerSecond: 3000, orderP99Ms: 50, rssMb: 200 };

const int = (n: number) => Math.round(n).toLocaleString("en-US");
const ms = (n: number) => (n < 10 ? n.toFixed(2) : n.toFixed(1));
const pct = (n: number) => `${(n * 100).toFixed(0)}%`;
const lat = (p: Percentiles) => [ms(p.p50), ms(p.p90), ms(p.p99)];

interface Row {
  workload: string;
  rps: string;
  orders: string;
  p50: string;
  p90: string;
  p99: string;
  errors: string;
  rss: string;
  cpu: string;
  ceiling: string;
  fraction: string;
}

function rows(run: BenchRun): Row[] {
  const { byId, search } = run.readCeilings;
  const out: Row[] = [
    { workload: "ceiling: bare Elysia + SQLite, GET by id", rps: int(byId.rps), orders: "", ...latRow(byId.latencyMs), errors: String(byId.errors), rss: byId.peakRssMb.toFixed(0), cpu: cpuText(byId), ceiling: "", fraction: "" },
    { workload: "ceiling: bare Elysia + SQLite, search", rps: int(search.rps), orders: "", ...latRow(search.latencyMs), errors: String(search.errors), rss: search.peakRssMb.toFixed(0), cpu: cpuText(search), ceiling: "", fraction: "" },
    { workload: "ceiling: checkout writes, 1 SQLite tx each", rps: "", orders: int(run.checkoutCeiling.oneTx), p50: "", p90: "", p99: "", errors: "", rss: "", cpu: "", ceiling: "", fraction: "" },
    { workload: "(reference: same writes in 13 commits)", rps: "", orders: int(run.checkoutCeiling.perStep), p50: "", p90: "", p99: "", errors: "", rss: "", cpu: "", ceiling: "", fraction: "" },
  ];
  const pg = run.checkoutCeiling.postgresServer;
  if (run.checkoutCeiling.postgresOneTx) {
    out.push({ workload: "ceiling: checkout writes, 1 PostgreSQL tx each", rps: "", orders: int(run.checkoutCeiling.postgresOneTx), p50: "", p90: "", p99: "", errors: "", rss: pg ? `pg ${pg.pssMb.toFixed(0)}` : "", cpu: pg ? `pg ${pg.cpuPct.toFixed(0)}%` : "", ceiling: "", fraction: "" });
  }
  for (const m of run.modes) {
    const label = `${m.mode === "all" ? "all-in-one" : "split"}${m.engine === "postgres" ? " on PostgreSQL" : ""}`;
    const checkoutCeiling = m.engine === "postgres" ? run.checkoutCeiling.postgresOneTx ?? run.checkoutCeiling.oneTx : run.checkoutCeiling.oneTx;
    // On PostgreSQL the server's own share follows the shop's: "shop + pg".
    const withServer = (w: ReadWorkload, server: ServerUse | undefined) =>
      server ? { rss: `${w.peakRssMb.toFixed(0)} + pg ${server.pssMb.toFixed(0)}`, cpu: `${cpuText(w)} + pg ${server.cpuPct.toFixed(0)}%` } : { rss: w.peakRssMb.toFixed(0), cpu: cpuText(w) };
    out.push(
      { workload: `${label}: GET /api/products/:id`, rps: int(m.byId.rps), orders: "", ...latRow(m.byId.latencyMs), errors: String(m.byId.errors), ...withServer(m.byId, m.postgres?.byId), ceiling: int(byId.rps), fraction: pct(m.byId.rps / byId.rps) },
      { workload: `${label}: GET /api/products?q=coffee`, rps: int(m.search.rps), orders: "", ...latRow(m.search.latencyMs), errors: String(m.search.errors), ...withServer(m.search, m.postgres?.search), ceiling: int(search.rps), fraction: pct(m.search.rps / search.rps) },
      { workload: `${label}: checkout, POST /api/orders latency`, rps: int(m.checkout.rps), orders: int(m.checkout.ordersPerSecond), ...latRow(m.checkout.orderMs), errors: String(m.checkout.errors), ...withServer(m.checkout, m.postgres?.checkout), ceiling: int(checkoutCeiling), fraction: pct(m.checkout.ordersPerSecond / checkoutCeiling) },
      { workload: `${label}: checkout, add+add+order latency`, rps: "", orders: "", ...latRow(m.checkout.checkoutMs), errors: "", rss: "", cpu: "", ceiling: "", fraction: "" },
    );
  }
  return out;
}

/** Server processes in % of one core / whole machine (generator included) in % of all cores. */
const cpuText = (w: ReadWorkload) =>
  `${w.cpu.serverPct.toFixed(0)}% / ${w.cpu.machinePct.toFixed(0)}%${w.cpu.stealPct >= 3 ? ` (steal ${w.cpu.stealPct.toFixed(0)}%)` : ""}`;

function latRow(p: Percentiles) {
  const [p50, p90, p99] = lat(p);
  return { p50: p50!, p90: p90!, p99: p99! };
}

const HEAD: Row = { workload: "workload", rps: "req/s", orders: "orders/s", p50: "p50 ms", p90: "p90 ms", p99: "p99 ms", errors: "errors", rss: "peak RSS MB", cpu: "CPU server/all", ceiling: "ceiling /s", fraction: "of ceiling" };
const KEYS = Object.keys(HEAD) as Array<keyof Row>;

export interface TargetCheck {
  name: string;
  met: boolean;
  detail: string;
}

export function checkTargets(run: BenchRun): TargetCheck[] {
  const all = run.modes.find((m) => m.mode === "all" && m.engine === "sqlite");
  if (!all) return [];
  const idFraction = all.byId.rps / run.readCeilings.byId.rps;
  const searchFraction = all.search.rps / run.readCeilings.search.rps;
  const errors = all.byId.errors + all.search.errors + all.checkout.errors;
  return [
    { name: "catalog reads by id >= 60% of the bare ceiling", met: idFraction >= TARGETS.readFraction, detail: pct(idFraction) },
    { name: "catalog search >= 60% of the bare ceiling", met: searchFraction >= TARGETS.readFraction, detail: pct(searchFraction) },
    { name: "checkouts >= 3,000 orders/s", met: all.checkout.ordersPerSecond >= TARGETS.ordersPerSecond, detail: `${int(all.checkout.ordersPerSecond)} orders/s` },
    { name: "POST /api/orders p99 < 50 ms", met: all.checkout.orderMs.p99 < TARGETS.orderP99Ms, detail: `${ms(all.checkout.orderMs.p99)} ms (whole add+add+order: ${ms(all.checkout.checkoutMs.p99)} ms)` },
    { name: "no errors", met: errors === 0, detail: `${errors}` },
    { name: "server RSS < 200 MB", met: all.peakRssMb < TARGETS.rssMb, detail: `${all.peakRssMb.toFixed(0)} MB peak` },
  ];
}

export function tableText(run: BenchRun): string {
  const all = [HEAD, ...rows(run)];
  const width = Object.fromEntries(KEYS.map((k) => [k, Math.max(...all.map((r) => r[k].length))])) as Record<keyof Row, number>;
  const line = (r: Row) => KEYS.map((k) => (k === "workload" ? r[k].padEnd(width[k]) : r[k].padStart(width[k]))).join("  ");
  const targets = checkTargets(run).map((t) => `  ${t.met ? "MET " : "MISS"}  ${t.name}: ${t.detail}`);
  return [line(HEAD), ...rows(run).map(line), ...(targets.length ? ["", "targets (all-in-one):", ...targets] : [])].join("\n");
}

export function markdown(run: BenchRun): string {
  const m = run.machine;
  const a = run.args;
  const table = [HEAD, ...rows(run)].map((r, i) => `| ${KEYS.map((k) => r[k] || " ").join(" | ")} |${i === 0 ? `\n|${KEYS.map((k) => (k === "workload" ? " --- " : " ---: ")).join("|")}|` : ""}`);
  const targets = checkTargets(run);
  const modeNotes = run.modes.map(
    (x) => `- ${x.mode === "all" ? "all-in-one" : "split"} on ${x.engine}: ${x.processes} server process(es), peak RSS since start (VmHWM, summed) ${x.peakRssMb.toFixed(0)} MB` +
      (x.brokerRssMb ? `; Kafka broker JVM ${x.brokerRssMb.toFixed(0)} MB more, not counted` : "") +
      (x.postgres ? `; PostgreSQL server during the checkout window: ${x.postgres.checkout.cpuPct.toFixed(0)}% of one core, ${x.postgres.checkout.pssMb.toFixed(0)} MB PSS over ${x.postgres.checkout.processes} processes (counted apart, "+ pg")` : "") +
      `; ${int(x.checkout.paid)} paid orders in the checkout window` +
      (x.checkout.badSample || x.byId.badSample || x.search.badSample ? `; first unexpected answer: \`${(x.checkout.badSample || x.byId.badSample || x.search.badSample).slice(0, 160)}\`` : ""),
  );
  return `# Benchmark ${run.startedAt.slice(0, 10)} (${run.modes.map((x) => x.mode).join(" + ")})

Produced by \`bun run bench ${process.argv.slice(2).join(" ")}\` (bench/run.ts) at ${run.startedAt}, commit ${m.commit}.

## Machine

| | |
| --- | --- |
| cores (nproc) | ${m.cores} |
| CPU | ${m.cpuModel} |
| memory | ${m.memory} |
| OS / kernel | ${m.os} / ${m.kernel} |
| Bun | ${m.bun} |
| load generator | ${m.wrk} |
| data folders | ${m.dataFilesystem} |

## Settings

- Everything on loopback (127.0.0.1). The load generator (wrk, C) runs on the **same ${m.cores} cores** as the server(s), so every figure, ceilings included, is what is left after the generator's own share.
- Each workload: ${a.warmupSeconds} s unmeasured warm-up, then a window of ${a.seconds} s or ${int(a.requests)} requests, whichever comes first; ${a.connections} connections.
- Reads: wrk with ${a.readThreads} thread(s), rotating over the seeded products (by id) or \`/api/products?q=coffee&limit=20\`; 200 expected.
- Checkout: one customer per connection (${a.connections} customers, registered and logged in once before any window; one wrk thread each), each looping: \`POST /api/cart/items\` ×2 (two different products), then \`POST /api/orders\` with a fresh \`Idempotency-Key\` and card 4242…; 201 expected for all three. orders/s counts 201 PAID answers. p50/p90/p99 on that row are of \`POST /api/orders\` alone; the next row is the whole add+add+order sequence.
- PostgreSQL rows (\`--engine\`): one Debian PostgreSQL server started for the run on loopback (fsync on, \`synchronous_commit=${a.postgresSync}\`), a fresh database per shop with \`DATABASE_URL\` (each module in its own schema); "+ pg" is that server's own CPU (all its processes, % of one core) and memory (PSS) during the window, which the shop's figures do not include. Their checkout fraction is of the PostgreSQL ceiling (the same writes as one Bun SQL transaction, per-step statements pipelined, 16 connections).
- Shop: \`NODE_ENV=test\`, \`LOG_LEVEL=warn\` (the per-request info log lines are off), fresh \`DATA_DIR\`s, seeded catalogue plus 16 products with 1,000,000 stock each for the checkouts.
- Ceilings: *reads* — a bare Elysia app (no middleware, no response validation) with the shop's two read routes on prepared bun:sqlite statements over a copy of the same product rows, loaded with the same wrk settings. *Checkout* — the writes of one checkout (2 cart upserts, idempotency key, order + \`order.created\`, 2 conditional stock updates + reservation + 2 \`stock-changed\`, payment + \`payment.captured\`, PAID update + \`order.paid\`, relay marks and prunes, cart lines deleted + inbox mark) as prepared statements in **one** synchronous transaction over the four module files (ATTACHed), in a loop, same pragmas as the shop (1 KiB pages, WAL, synchronous=FULL). The reference line does the same writes split into 13 commits (one per step, plus the relay's mark-published and prune autocommits per module), close to the 16 the shop made when this bench was written; \`bun bench/micro/checkout-anatomy.ts\` counts the shop's current commits per checkout.
- Noise: on 2 shared cores the bare read ceiling moves by about ±15% between runs (where the scheduler puts wrk and the server); compare fractions within one run.
- Peak RSS per row: VmRSS sampled every 50 ms during that window, summed over the server processes.
- CPU server/all: the server processes' user+system time over the window in % of **one** core (a single Bun process tops out near 100%), then the whole machine's busy share in % of all cores (load generator included): a server well under 100% while the machine is full is starved by the generator; a server and machine both well under full are waiting (I/O, locks). "steal" appears when the hypervisor gave our vCPUs to other guests during the window (that window's figures are then low).

## Results

${table.join("\n")}

${targets.length ? `## Targets (all-in-one, 2-core machine)\n\n${targets.map((t) => `- ${t.met ? "✅ met" : "❌ missed"}: ${t.name} — ${t.detail}`).join("\n")}\n` : ""}
## Notes

${modeNotes.join("\n")}
`;
}
