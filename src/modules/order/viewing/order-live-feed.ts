import type { DomainEvent, Subscription } from "../../../platform/events/event";
import { ORDER_AGGREGATE, type OrderEventPayload } from "../contract";

const encoder = new TextEncoder();

/**
 * Pushes order events to connected dashboards as Server-Sent Events. It is fed by the bus
 * (in-process, or a Kafka consumer group of its own per process), so it shows exactly what the
 * outbox published. Clients that fall behind are dropped and reconnect.
 */
export class OrderLiveFeed {
  private readonly clients = new Set<ReadableStreamDefaultController<Uint8Array>>();
  private readonly ping: ReturnType<typeof setInterval>;

  constructor() {
    this.ping = setInterval(() => this.broadcast(": ping\n\n"), 15_000);
    this.ping.unref?.();
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

  /** A new SSE response; the stream ends when the client goes away or the feed closes. */
  connect(signal?: AbortSignal): Response {
    let self: ReadableStreamDefaultController<Uint8Array>;
    const stream = new ReadableStream<Uint8Array>({
      start: (controller) => {
        self = controller;
        this.clients.add(controller);
        controller.enqueue(encoder.encode("retry: 1000\n: connected\n\n"));
      },
      cancel: () => {
        this.clients.delete(self);
      },
    });
    signal?.addEventListener("abort", () => {
      this.clients.delete(self);
      try {
        self.close();
      } catch {}
    });
    return new Response(stream, {
      headers: { "content-type": "text/event-stream", "cache-control": "no-cache, no-transform", connection: "keep-alive", "x-accel-buffering": "no" },
    });
  }

  close(): void {
    clearInterval(this.ping);
    for (const client of this.clients) {
      try {
        client.close();
      } catch {}
    }
    this.clients.clear();
  }

  private broadcast(message: string) {
    const bytes = encoder.encode(message);
    for (const client of this.clients) {
      try {
        if ((client.desiredSize ?? 1) < -1_000_000) throw new Error("client too slow");
        client.enqueue(bytes);
      } catch {
        this.clients.delete(client);
        try {
          client.close();
        } catch {}
      }
    }
  }
}
