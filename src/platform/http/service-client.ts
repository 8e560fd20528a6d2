import { AppError, DependencyUnavailableError } from "../errors";
import type { TokenService } from "../auth/tokens";
import { routeOf, traceCall } from "../observability/tracing";
import { writesOnDisk } from "../db/group-commit";
import { watchUpstreams } from "../observability/upstream-metrics";
import { UpstreamPool, type Replica } from "./upstream-pool";

export interface ServiceClientOptions {
  /** Name of the module called, used in 503s ("catalog is unavailable: ..."). */
  dependency: string;
  /** The service's URL, or its replicas' (calls spread over them, see upstream-pool.ts). */
  baseUrl: string | readonly string[];
  tokens: TokenService;
  /** Who is calling, carried in the service token. */
  caller: string;
  timeoutMs?: number;
  /**
   * Attempts for idempotent calls (every call our contracts make is idempotent by design: keyed by
   * reservation, order or payment id), each on another replica while one is left untried.
   */
  attempts?: number;
}

const TRANSIENT = new Set([502, 503, 504]);

/**
 * The HTTP side of a module contract: JSON over fetch with a timeout, bounded retries with
 * jittered backoff, and errors turned back into the AppErrors the callee raised, or into a
 * 503 naming the dependency when it cannot be reached.
 */
export class ServiceClient {
  private token: { value: string; renewAt: number } | undefined;
  private readonly pool: UpstreamPool;

  constructor(private readonly opts: ServiceClientOptions) {
    this.pool = watchUpstreams(new UpstreamPool(opts.dependency, typeof opts.baseUrl === "string" ? [opts.baseUrl] : opts.baseUrl));
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    await writesOnDisk(); // what this process wrote before the call commits before another service acts on it
    const attempts = this.opts.attempts ?? 3;
    let lastError: unknown;
    const tried = new Set<Replica>();
    for (let attempt = 1; attempt <= attempts; attempt++) {
      const replica = this.pool.pick(tried) ?? this.pool.pick();
      tried.add(replica!);
      try {
        return await this.once<T>(replica!, method, path, body);
      } catch (error) {
        lastError = error;
        const retriable = error instanceof DependencyUnavailableError;
        if (!retriable || attempt === attempts) break;
        // Another replica is tried at once; the same one again after a jittered backoff.
        if (tried.size >= this.pool.replicas.length) await Bun.sleep(50 * 2 ** attempt + Math.random() * 50);
      }
    }
    throw lastError;
  }

  private async once<T>(replica: Replica, method: string, path: string, body?: unknown): Promise<T> {
    replica.begin();
    let healthy = true;
    try {
      return await traceCall(`${method} ${this.opts.dependency} ${routeOf(path.split("?")[0]!)}`, (trace) => this.send<T>(replica.url, method, path, body, trace));
    } catch (error) {
      // The callee's own 503 or no answer counts against this replica; a 503 naming another module does not.
      healthy = !(error instanceof DependencyUnavailableError && error.dependency === this.opts.dependency);
      throw error;
    } finally {
      if (healthy) replica.succeeded();
      else replica.failed();
    }
  }

  private async send<T>(baseUrl: string, method: string, path: string, body: unknown, trace: Record<string, string>): Promise<T> {
    const { dependency } = this.opts;
    // One deadline for the whole call, answer body included, cleared when it ends: an
    // AbortSignal.timeout outlived every call and woke the process once more when it fired.
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(new DOMException("timed out", "TimeoutError")), this.opts.timeoutMs ?? 3000);
    let response: Response;
    let text: string;
    try {
      response = await fetch(baseUrl + path, {
        method,
        headers: {
          authorization: `Bearer ${await this.serviceToken()}`,
          ...(body === undefined ? {} : { "content-type": "application/json" }),
          ...trace,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: deadline.signal,
      });
      text = await response.text();
    } catch (error) {
      const reason = (error as Error).name === "TimeoutError" ? "timed out" : (error as Error).message || "connection failed";
      throw new DependencyUnavailableError(dependency, reason);
    } finally {
      clearTimeout(timer);
    }
    const json = text ? safeJson(text) : undefined;
    if (response.ok) return json as T;
    if (TRANSIENT.has(response.status)) {
      const upstream = (json as { error?: { message?: string; details?: { dependency?: string } } })?.error;
      // The callee is up but its own dependency is not: name the one that is really down.
      const root = upstream?.details?.dependency;
      if (root && upstream?.message?.startsWith(`${root} is unavailable: `)) {
        throw new DependencyUnavailableError(root, upstream.message.slice(`${root} is unavailable: `.length));
      }
      throw new DependencyUnavailableError(dependency, upstream?.message ?? `answered ${response.status}`);
    }
    const err = (json as { error?: { code?: string; message?: string; details?: Record<string, unknown> } })?.error;
    throw new AppError(response.status, err?.code ?? "UPSTREAM_ERROR", err?.message ?? `${dependency} answered ${response.status}`, err?.details);
  }

  private async serviceToken(): Promise<string> {
    const now = Date.now();
    if (!this.token || this.token.renewAt < now) {
      const ttl = 3600;
      const value = await this.opts.tokens.sign({ userId: `service:${this.opts.caller}`, username: this.opts.caller, role: "service" }, { ttlSeconds: ttl });
      this.token = { value, renewAt: now + (ttl / 2) * 1000 };
    }
    return this.token.value;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
