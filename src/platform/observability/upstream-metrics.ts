import { Gauge } from "prom-client";
import type { UpstreamPool } from "../http/upstream-pool";
import { registry } from "./metrics";

const pools = new Set<UpstreamPool>();

/** One series per replica of every service this process calls: 1 for the breaker state it is in now. */
new Gauge({
  name: "shop_upstream_replica_state",
  help: "Circuit breaker state of each upstream replica (1 for its current state: closed, open or half-open)",
  labelNames: ["service", "replica", "state"] as const,
  registers: [registry],
  collect() {
    this.reset();
    for (const pool of pools) {
      for (const { url, state } of pool.states()) {
        for (const s of ["closed", "open", "half-open"] as const) this.set({ service: pool.service, replica: url, state: s }, s === state ? 1 : 0);
      }
    }
  },
});

/** Shows a pool's replicas in the gauge (the gateway's and the service clients' pools). */
export function watchUpstreams(pool: UpstreamPool): UpstreamPool {
  pools.add(pool);
  return pool;
}
