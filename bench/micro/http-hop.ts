// What one call between two split-mode services costs in CPU, client and server, before any
// business work: the floor under split mode's CPU per checkout, which makes about ten such calls
// more than all-in-one (the gateway forwarding three, cart -> catalog three, order -> cart, catalog,
// payment and cart). Three ways to answer the same small JSON POST:
//   bare     Bun.serve and Response.json: the runtime alone,
//   shell    the shop's HTTP shell (createHttpApp: request target check, security headers, request
//            span and trace context, request id, metrics, errors), as every service serves its routes,
//   gateway  the shell server behind the gateway's shell and reverse proxy (reverse-proxy.ts), as a
//            client's request reaches a service in split mode; "server" is then the gateway's CPU and
//            "upstream" the shell server's behind it;
// each called with a plain keep-alive fetch carrying a service call's headers (bearer token,
// traceparent), from this process, `--concurrency` calls in flight. Prints requests/s and the CPU
// per call of each side (process.cpuUsage here, /proc for the servers).
// `--rate N` paces the calls to N a second in all: a light load, where every call finds both sides
// asleep and pays their wake-ups (the caller's includes waking for its own timer, as a service wakes
// for the request that makes it call). That is what a hop costs a split shop at 100 checkouts/s.
//   bun bench/micro/http-hop.ts [--calls N] [--seconds N] [--concurrency N] [--rate N] [--json]
// Loopback only; each run is bounded by --calls and --seconds, whichever ends first.
import { ClientAddresses } from "../../src/platform/http/client-address";
import { createHttpApp } from "../../src/platform/http/create-app";
import { reverseProxy } from "../../src/platform/http/reverse-proxy";
import { UpstreamPool } from "../../src/platform/http/upstream-pool";
import { createLogger } from "../../src/platform/logger";
import { initTracing } from "../../src/platform/observability/tracing";
import { freePort, waitForOk } from "../../test/support/processes";
import { processCpuSeconds } from "../lib/cpu";
import { flagValue, wholeFlag } from "../lib/flags";
import { percentile } from "../lib/percentile";

const KINDS = ["bare", "shell", "gateway"] as const;
type Kind = (typeof KINDS)[number];
const PATH = "/api/hop";
const ANSWER = { ok: true, productId: "0190aaaa-0000-7000-8000-000000000001", stock: 120, priceCents: 3995, currency: "EUR" };

function serve(kind: Kind | "upstream", port: number, upstream?: string) {
  if (kind === "bare") {
    Bun.serve({ port, hostname: "127.0.0.1", fetch: async (req) => (req.method === "POST" ? Response.json({ ...ANSWER, got: await req.json() }) : new Response("ok")) });
    return;
  }
  initTracing("bench-hop");
  const app = createHttpApp({ title: "bench", log: createLogger("warn"), maxBodyBytes: 65536, readiness: [], forwardsBodiesUnder: kind === "gateway" ? [PATH] : [] });
  if (kind === "gateway") {
    const routes = [{ prefix: "/api/hop", service: "hop", pool: new UpstreamPool("hop", [upstream!]) }];
    app.use(reverseProxy(routes, new AbortController().signal, new ClientAddresses([]))).listen({ port, hostname: "127.0.0.1" });
    return;
  }
  app.post(PATH, ({ body }) => ({ ...ANSWER, got: body })).listen({ port, hostname: "127.0.0.1" });
}

export interface Row {
  kind: Kind;
  calls: number;
  callsPerSecond: number;
  clientCpuUsPerCall: number;
  serverCpuUsPerCall: number;
  /** The gateway kind: the CPU per call of the shell server behind the gateway. */
  upstreamCpuUsPerCall?: number;
  p50Ms: number;
  p99Ms: number;
}

function start(kind: Kind | "upstream", upstream?: string) {
  const port = freePort();
  const args = ["bun", import.meta.path, "--serve", kind === "upstream" ? "shell" : kind, String(port), ...(upstream ? [upstream] : [])];
  const proc = Bun.spawn(args, { stdout: "inherit", stderr: "inherit", env: { ...process.env, LOG_LEVEL: "warn" } });
  return { proc, url: `http://127.0.0.1:${port}` };
}

async function measure(kind: Kind, calls: number, seconds: number, concurrency: number, rate: number | undefined): Promise<Row> {
  const behind = kind === "gateway" ? start("upstream") : undefined;
  const { proc, url } = start(kind, behind?.url);
  try {
    if (behind) await waitForOk(`${behind.url}/health/live`, 20_000, behind.proc);
    await waitForOk(`${url}/health/live`, 20_000, proc);
    const headers = { authorization: "Bearer x".padEnd(180, "x"), "content-type": "application/json", traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" };
    const body = JSON.stringify({ productIds: ["0190aaaa-0000-7000-8000-000000000001", "0190aaaa-0000-7000-8000-000000000002"] });
    const call = async () => {
      const res = await fetch(`${url}${PATH}`, { method: "POST", headers, body, signal: AbortSignal.timeout(3000) });
      if (res.status !== 200) throw new Error(`${kind}: answered ${res.status}: ${await res.text()}`);
      await res.json();
    };
    for (let i = 0; i < 200; i++) await call(); // warm-up: JIT, keep-alive connections
    const latencies: number[] = [];
    let started = 0;
    let t0 = 0;
    const deadline = performance.now() + seconds * 1000;
    const worker = async () => {
      while (started < calls && performance.now() < deadline) {
        const slot = started++;
        if (rate) {
          const wait = t0 + (slot * 1000) / rate - performance.now();
          if (wait > 0) await Bun.sleep(wait);
        }
        const t = performance.now();
        await call();
        latencies.push(performance.now() - t);
      }
    };
    const client0 = process.cpuUsage();
    const server0 = processCpuSeconds(proc.pid);
    const upstream0 = behind ? processCpuSeconds(behind.proc.pid) : 0;
    t0 = performance.now();
    await Promise.all(Array.from({ length: concurrency }, worker));
    const elapsed = (performance.now() - t0) / 1000;
    const client = process.cpuUsage(client0);
    const server = processCpuSeconds(proc.pid) - server0;
    const upstream = behind ? processCpuSeconds(behind.proc.pid) - upstream0 : undefined;
    const done = latencies.length;
    latencies.sort((a, b) => a - b);
    return {
      kind,
      calls: done,
      callsPerSecond: done / elapsed,
      clientCpuUsPerCall: (client.user + client.system) / done,
      serverCpuUsPerCall: (server * 1e6) / done,
      ...(upstream === undefined ? {} : { upstreamCpuUsPerCall: (upstream * 1e6) / done }),
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
    };
  } finally {
    for (const p of [proc, behind?.proc]) p?.kill("SIGTERM");
    await Promise.all([proc.exited, behind?.proc.exited]);
  }
}

if (process.argv[2] === "--serve") {
  process.on("SIGTERM", () => process.exit(0)); // an exit, so BUN_OPTIONS=--cpu-prof writes the server's profile
  serve(process.argv[3] as Kind, Number(process.argv[4]), process.argv[5]);
} else {
  const argv = process.argv.slice(2);
  const calls = wholeFlag(argv, "calls", 50_000, 10_000_000);
  const seconds = wholeFlag(argv, "seconds", 10, 600);
  const concurrency = wholeFlag(argv, "concurrency", 16, 1024);
  const rate = flagValue(argv, "rate") === undefined ? undefined : wholeFlag(argv, "rate", 100, 100_000);
  const rows: Row[] = [];
  for (const kind of KINDS) rows.push(await measure(kind, calls, seconds, concurrency, rate));
  if (process.argv.includes("--json")) console.log(JSON.stringify({ rows }));
  else {
    console.log(`| server | calls | calls/s | client CPU µs/call | server CPU µs/call | upstream CPU µs/call | all, µs/call | p50 ms | p99 ms |`);
    console.log(`| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |`);
    for (const r of rows) {
      const all = r.clientCpuUsPerCall + r.serverCpuUsPerCall + (r.upstreamCpuUsPerCall ?? 0);
      const upstream = r.upstreamCpuUsPerCall === undefined ? "–" : r.upstreamCpuUsPerCall.toFixed(0);
      console.log(`| ${r.kind} | ${r.calls} | ${Math.round(r.callsPerSecond)} | ${r.clientCpuUsPerCall.toFixed(0)} | ${r.serverCpuUsPerCall.toFixed(0)} | ${upstream} | ${all.toFixed(0)} | ${r.p50Ms.toFixed(2)} | ${r.p99Ms.toFixed(2)} |`);
    }
  }
}
