/** What the gateway knows of one service it routes to, as its readiness reports it. */
export interface UpstreamHealth {
  status: "ready" | "not ready" | "unreachable";
  /** Why it is not ready: its own answer's status, the connection error, or the timeout. */
  reason?: string;
  ms: number;
}

export interface Upstream {
  service: string;
  baseUrl: string;
}

/**
 * Asks every upstream's own /health/ready, all at once, each bounded by `timeoutMs`, so the
 * gateway's readiness says which service is missing instead of "ready" with all of them down.
 */
export function probeUpstreams(upstreams: Upstream[], timeoutMs: number) {
  const distinct = [...new Map(upstreams.map((u) => [u.service, u])).values()];
  return async (): Promise<Record<string, UpstreamHealth>> =>
    Object.fromEntries(await Promise.all(distinct.map(async (u) => [u.service, await probe(u.baseUrl, timeoutMs)] as const)));
}

async function probe(baseUrl: string, timeoutMs: number): Promise<UpstreamHealth> {
  const started = performance.now();
  const ms = () => Math.round(performance.now() - started);
  try {
    const res = await fetch(`${baseUrl}/health/ready`, { signal: AbortSignal.timeout(timeoutMs) });
    await res.body?.cancel();
    return res.ok ? { status: "ready", ms: ms() } : { status: "not ready", reason: `its /health/ready answered ${res.status}`, ms: ms() };
  } catch (error) {
    const timedOut = (error as Error).name === "TimeoutError";
    return { status: "unreachable", reason: timedOut ? `no answer within ${timeoutMs} ms` : (error as Error).message || "connection failed", ms: ms() };
  }
}
