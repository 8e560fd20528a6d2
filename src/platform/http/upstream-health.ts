/** What the gateway knows of one service (or one replica of it) it routes to, as its readiness reports it. */
export interface UpstreamHealth {
  status: "ready" | "not ready" | "unreachable";
  /** Why it is not ready: its own answer's status, the connection error, or the timeout. */
  reason?: string;
  ms: number;
  /** Each replica's own answer, when the service has several. */
  replicas?: Record<string, UpstreamHealth>;
}

export interface Upstream {
  service: string;
  /** The service's replicas. */
  urls: readonly string[];
}

/**
 * Asks every replica's own /health/ready, all at once, each bounded by `timeoutMs`, so the
 * gateway's readiness says which service is missing instead of "ready" with all of them down.
 * A service is ready when one of its replicas is (the proxy sends its calls there).
 */
export function probeUpstreams(upstreams: Upstream[], timeoutMs: number) {
  const distinct = [...new Map(upstreams.map((u) => [u.service, u])).values()];
  return async (): Promise<Record<string, UpstreamHealth>> =>
    Object.fromEntries(await Promise.all(distinct.map(async (u) => [u.service, await probeService(u.urls, timeoutMs)] as const)));
}

async function probeService(urls: readonly string[], timeoutMs: number): Promise<UpstreamHealth> {
  const answers = await Promise.all(urls.map((url) => probe(url, timeoutMs)));
  if (answers.length === 1) return answers[0]!;
  const replicas = Object.fromEntries(urls.map((url, i) => [url, answers[i]!]));
  const ready = answers.find((a) => a.status === "ready");
  if (ready) return { status: "ready", ms: ready.ms, replicas };
  // "unreachable" only when no replica answered at all.
  const status = answers.some((a) => a.status === "not ready") ? "not ready" : "unreachable";
  return { status, reason: `no replica is ready (${urls.length} tried)`, ms: Math.max(...answers.map((a) => a.ms)), replicas };
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
