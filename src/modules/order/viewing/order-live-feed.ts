import type { DomainEvent, Subscription } from "../../../platform/events/event";
import { ORDER_AGGREGATE, type OrderEventPayload } from "../contract";

const encoder = new TextEncoder();

/**
 * Pushes order events to connected dashboards as Server-Sent Events. It is fed by the bus
 * (in-process, or a Kafka consumer group of its own per process), so it shows exactly what the
 * outbox published. Clients that fall behind are dropped and reconnect.
 */
export class OrderLiveFeed {
  /** Each connected dashboard, with the question whether its session is still live. */
  private readonly clients = new Map<ReadableStreamDefaultController<Uint8Array>, () => Promise<boolean>>();
  private readonly ping: ReturnType<typeof setInterval>;
  private readonly recheck: ReturnType<typeof setInterval>;

  /** `recheckMs`: how often each open stream's session is asked again (sign-out, a disabled account). */
  constructor({ recheckMs = 5_000 }: { recheckMs?: number } = {}) {
    this.ping = setInterval(() => this.broadcast(": ping\n\n"), 15_000);
    this.ping.unref?.();
    this.recheck = setInterval(() => void this.dropRevoked(), recheckMs);
    this.recheck.unref?.();
  }

  get connections(): number {
    return this.clients.size;
  }

  subscription(group: string): Subscription {
    // The bus delivers at least once; a dashboard should see each change once. The last 10,000
    // ids, oldest evicted through a ring (deleting a Set's first entry scanned its tombstones).
    const seen = new Set<string>();
    const ring: string[] = [];
    let next = 0;
    return {
      group,
      aggregateTypes: [ORDER_AGGREGATE],
      fromBeginning: false, // a dashboard wants what happens from now on
      handle: (event: DomainEvent) => {
        if (seen.has(event.id)) return;
        seen.add(event.id);
        if (ring.length === 10_000) seen.delete(ring[next]!);
        ring[next] = event.id;
        next = (next + 1) % 10_000;
        if (this.clients.size === 0) return; // nobody watching: skip building the message
        const { order } = event.payload as OrderEventPayload;
        this.broadcast(`id: ${event.id}\nevent: order\ndata: ${JSON.stringify({ type: event.type, order })}\n\n`);
      },
    };
  }

  /**
   * A new SSE response; the stream ends when the client goes away, when the feed closes, or when
   * `stillAllowed` says no (asked every `recheckMs`): a signed-out or disabled operator's open
   * dashboard stops receiving orders. An error asking keeps the stream (the identity owner may be
   * restarting); the next check decides.
   */
  connect(signal?: AbortSignal, stillAllowed: () => Promise<boolean> = async () => true): Response {
    let self: ReadableStreamDefaultController<Uint8Array>;
    const stream = new ReadableStream<Uint8Array>({
      start: (controller) => {
        self = controller;
        this.clients.set(controller, stillAllowed);
        controller.enqueue(encoder.encode("retry: 1000\n: connected\n\n"));
      },
      cancel: () => {
        this.clients.delete(self);
      },
    });
    signal?.addEventListener("abort", () => this.drop(self));
    return new Response(stream, {
      headers: { "content-type": "text/event-stream", "cache-control": "no-cache, no-transform", connection: "keep-alive", "x-accel-buffering": "no" },
    });
  }

  close(): void {
    clearInterval(this.ping);
    clearInterval(this.recheck);
    for (const client of this.clients.keys()) {
      try {
        client.close();
      } catch {}
    }
    this.clients.clear();
  }

  private broadcast(message: string) {
    const bytes = encoder.encode(message);
    for (const client of this.clients.keys()) {
      try {
        if ((client.desiredSize ?? 1) < -1_000_000) throw new Error("client too slow");
        client.enqueue(bytes);
      } catch {
        this.drop(client);
      }
    }
  }

  private async dropRevoked() {
    await Promise.all([...this.clients].map(async ([client, stillAllowed]) => {
      if (!(await stillAllowed().catch(() => true))) this.drop(client);
    }));
  }

  private drop(client: ReadableStreamDefaultController<Uint8Array>) {
    this.clients.delete(client);
    try {
      client.close();
    } catch {}
  }
}
