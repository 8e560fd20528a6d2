/**
 * The replicas of one service (its `*_URL` may list several) and which one the next call goes to:
 * the one with the fewest calls in flight among those whose breaker lets calls through, round robin
 * among equals. A replica's breaker opens after `failuresToOpen` consecutive failures (connection
 * refused or reset, a timeout, a 503) and lets one probe call through after `coolDownMs`: a success
 * closes it, a failure opens it for another cool-down.
 *
 * When every replica's breaker is open, the one open longest is tried anyway: a breaker only moves
 * traffic to another replica, it never turns a call that might succeed into a 503 of its own (with
 * one replica, that is the behaviour of a plain URL).
 */
export type BreakerState = "closed" | "open" | "half-open";

export interface PoolOptions {
  failuresToOpen?: number;
  coolDownMs?: number;
}

export class Replica {
  inFlight = 0;
  private failures = 0;
  private openedAt = 0;
  private probing = false;
  private open = false;

  constructor(
    readonly url: string,
    private readonly failuresToOpen: number,
    private readonly coolDownMs: number,
  ) {}

  state(now = Date.now()): BreakerState {
    if (!this.open) return "closed";
    return now - this.openedAt >= this.coolDownMs ? "half-open" : "open";
  }

  /** Whether a call may go here now: closed, or half-open with no probe already out. */
  available(now = Date.now()): boolean {
    const state = this.state(now);
    return state === "closed" || (state === "half-open" && !this.probing);
  }

  get openSince(): number {
    return this.openedAt;
  }

  /** Marks a call as started; the caller ends it with `succeeded` or `failed`. */
  begin(): void {
    this.inFlight++;
    // A call to an open replica is its probe: half-open, or tried because no replica was available.
    if (this.open) this.probing = true;
  }

  succeeded(): void {
    this.inFlight--;
    this.failures = 0;
    this.open = false;
    this.probing = false;
  }

  failed(now = Date.now()): void {
    this.inFlight--;
    this.failures++;
    this.probing = false;
    if (this.open || this.failures >= this.failuresToOpen) {
      this.open = true;
      this.openedAt = now;
    }
  }

  /** A call that ended without saying anything about the replica's health (a 4xx, the client leaving). */
  ended(): void {
    this.inFlight--;
    this.probing = false;
  }
}

export class UpstreamPool {
  readonly replicas: Replica[];
  private next = 0;

  constructor(
    readonly service: string,
    urls: readonly string[],
    options: PoolOptions = {},
  ) {
    if (urls.length === 0) throw new Error(`${service}: an upstream pool needs at least one URL`);
    this.replicas = urls.map((url) => new Replica(url, options.failuresToOpen ?? 2, options.coolDownMs ?? 1_000));
  }

  /** The replica for the next call, never one in `tried` while another is left; undefined when all were tried. */
  pick(tried: ReadonlySet<Replica> = new Set()): Replica | undefined {
    const now = Date.now();
    const untried = this.replicas.filter((r) => !tried.has(r));
    if (untried.length === 0) return undefined;
    const start = this.next++ % this.replicas.length;
    let best: Replica | undefined;
    for (let i = 0; i < this.replicas.length; i++) {
      const replica = this.replicas[(start + i) % this.replicas.length]!;
      if (tried.has(replica) || !replica.available(now)) continue;
      if (!best || replica.inFlight < best.inFlight) best = replica;
    }
    return best ?? untried.reduce((a, b) => (b.openSince < a.openSince ? b : a));
  }

  /** Replica states for the metrics and readiness: url -> state. */
  states(): { url: string; state: BreakerState; inFlight: number }[] {
    const now = Date.now();
    return this.replicas.map((r) => ({ url: r.url, state: r.state(now), inFlight: r.inFlight }));
  }
}

/** Connection refused: the request never reached a process, so even a POST without a key may go elsewhere. */
export function neverSent(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return code === "ECONNREFUSED" || code === "ConnectionRefused";
}

/** What may be sent again after it may have reached a replica: safe methods, and requests that carry an Idempotency-Key. */
export function idempotentRequest(method: string, headers: Headers): boolean {
  return method === "GET" || method === "HEAD" || method === "OPTIONS" || headers.has("idempotency-key");
}
