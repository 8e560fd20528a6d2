// Opt-in (COMPOSE_GATEWAY_URL set): scripts/containers/compose-e2e.sh brings compose.yaml up with
// podman-compose (PostgreSQL, Kafka, catalog, cart, two order replicas, payment, gateway) and runs this
// file against it: the end-to-end checkout scenario through the published gateway, then each order
// replica's own /metrics must show it answered order requests, so the gateway really used both.
import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { runCheckoutScenario } from "../scenarios/checkout-scenario";
import { repoRoot } from "../support/processes";
import { eventually } from "../support/sse";

const gateway = process.env.COMPOSE_GATEWAY_URL;
const project = process.env.COMPOSE_PROJECT ?? "bun-shop";
const ORDER_REPLICAS = ["order-1", "order-2"] as const;
const PODMAN_ENV = {
  ...process.env,
  CONTAINERS_CONF: process.env.CONTAINERS_CONF ?? join(repoRoot, "scripts/containers/containers.conf"),
};

async function podman(args: string[], timeoutMs = 30_000): Promise<string> {
  const proc = Bun.spawn(["podman", ...args], { env: PODMAN_ENV, stdout: "pipe", stderr: "pipe", timeout: timeoutMs, killSignal: "SIGKILL" });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  if (code !== 0) throw new Error(`podman ${args.join(" ")} failed (exit ${code}): ${stderr || stdout}`);
  return stdout.trim();
}

/** The container of a compose service, by the labels both podman-compose and docker compose set. */
async function containerOf(service: string): Promise<string> {
  const ids = await podman(["ps", "-q", "--filter", `label=com.docker.compose.project=${project}`, "--filter", `label=com.docker.compose.service=${service}`]);
  const [id, ...more] = ids.split("\n").filter(Boolean);
  if (!id || more.length) throw new Error(`expected one running container of ${service} in project ${project}, got ${JSON.stringify(ids)}`);
  return id;
}

/** Requests a replica answered under /api/orders, from its own Prometheus counter (the metrics port, inside the container). */
async function orderRequestsServed(service: string): Promise<number> {
  const text = await podman([
    "exec", await containerOf(service), "bun", "-e",
    "fetch('http://127.0.0.1:' + (process.env.METRICS_PORT || 9464) + '/metrics').then(r => r.text()).then(t => process.stdout.write(t))",
  ]);
  let total = 0;
  for (const line of text.split("\n")) {
    const m = /^http_requests_total\{[^}]*route="\/api\/orders[^"]*"[^}]*\} (\d+)/.exec(line);
    if (m) total += Number(m[1]);
  }
  return total;
}

describe.skipIf(!gateway)("compose.yaml: split mode on PostgreSQL and Kafka with two order replicas", () => {
  test("the checkout scenario passes through the gateway", async () => {
    const result = await runCheckoutScenario(gateway!, { eventually: (check) => eventually(check, 30_000) });
    expect(result.paidOrderId).toBeString();
  }, 180_000);

  test("both order replicas answered order requests", async () => {
    // A few more reads, so a balancer that alternates or picks at random reaches both.
    for (let i = 0; i < 20; i++) await fetch(`${gateway}/api/orders/stats`, { signal: AbortSignal.timeout(5000) });
    const served = Object.fromEntries(await Promise.all(ORDER_REPLICAS.map(async (s) => [s, await orderRequestsServed(s)] as const)));
    console.error(`[compose-e2e] order requests served: ${JSON.stringify(served)}`);
    for (const s of ORDER_REPLICAS) expect(served[s]).toBeGreaterThan(0);
  }, 120_000);
});
