// The live order stream (Server-Sent Events) with a connection-status signal and our own
// reconnection: on any error the EventSource is closed and reopened after an exponential backoff
// with jitter (the browser's built-in retry gives up for good on a non-200 answer, e.g. a gateway's
// 502 while the server restarts). Every (re)open is reported so the caller can catch up on what it
// missed: SSE replays nothing here.
import { createSignal, type Accessor } from "solid-js";
import type { Order } from "./types";

export type LiveStatus = "connecting" | "connected" | "reconnecting" | "closed";

export interface LiveHandlers {
  /** One order change; `eventId` is the event's id (the SSE `id:` line), null if the server sent none. */
  onOrder(type: string, order: Order, eventId: string | null): void;
  /** After every successful open; `reconnected` is false for the very first one. */
  onOpen?(info: { reconnected: boolean }): void;
  /** After each failure, with the attempt number (1, 2, ...). */
  onError?(attempt: number): void;
}

export interface LiveOptions extends LiveHandlers {
  url: () => string;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** For tests: a stand-in EventSource constructor. */
  EventSourceImpl?: typeof EventSource;
  random?: () => number;
}

export interface LiveConnection {
  status: Accessor<LiveStatus>;
  /** Attempts since the last successful open (0 while connected). */
  attempts: Accessor<number>;
  /** Milliseconds until the next attempt (while reconnecting), for "retrying in 4 s". */
  nextRetryAt: Accessor<number | null>;
  /** Reconnect now instead of waiting for the backoff. */
  retryNow(): void;
  close(): void;
}

/** Exponential backoff with "equal jitter": half fixed, half random, capped. */
export function backoffDelay(attempt: number, baseMs = 500, maxMs = 15_000, random: () => number = Math.random): number {
  const exp = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp / 2 + (random() * exp) / 2);
}

function parse(data: unknown): unknown {
  if (typeof data !== "string") return undefined;
  try {
    return JSON.parse(data);
  } catch {
    return undefined;
  }
}

const isOrder = (x: unknown): x is Order =>
  !!x && typeof x === "object" && typeof (x as Order).id === "string" && typeof (x as Order).status === "string";

/** Decodes one `order` message (`{type, order}`); anything else is ignored and reported as false. */
export function dispatchMessage(data: unknown, eventId: string, handlers: LiveHandlers): boolean {
  const msg = parse(data) as { type?: unknown; order?: unknown } | undefined;
  if (!msg || !isOrder(msg.order)) return false;
  handlers.onOrder(typeof msg.type === "string" ? msg.type : "order.updated", msg.order, eventId || null);
  return true;
}

export function connectLive(opts: LiveOptions): LiveConnection {
  const ES = opts.EventSourceImpl ?? globalThis.EventSource;
  const [status, setStatus] = createSignal<LiveStatus>("connecting");
  const [attempts, setAttempts] = createSignal(0);
  const [nextRetryAt, setNextRetryAt] = createSignal<number | null>(null);
  let source: EventSource | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let everOpened = false;
  let closed = false;

  // The server names its messages `order`; unnamed ones are read the same way.
  const onOrderEvent = (e: Event) => void dispatchMessage((e as MessageEvent).data, (e as MessageEvent).lastEventId, opts);

  function open() {
    if (closed) return;
    clearTimeout(timer);
    setNextRetryAt(null);
    const es = new ES(opts.url());
    source = es;
    es.addEventListener("order", onOrderEvent);
    es.addEventListener("message", onOrderEvent);
    es.onopen = () => {
      if (source !== es) return;
      const reconnected = everOpened;
      everOpened = true;
      setAttempts(0);
      setStatus("connected");
      opts.onOpen?.({ reconnected });
    };
    es.onerror = () => {
      if (source !== es) return;
      drop(es);
      scheduleRetry();
    };
  }

  function drop(es: EventSource) {
    es.onopen = null;
    es.onerror = null;
    es.removeEventListener("order", onOrderEvent);
    es.removeEventListener("message", onOrderEvent);
    es.close();
    if (source === es) source = null;
  }

  function scheduleRetry() {
    if (closed) return;
    const attempt = attempts() + 1;
    setAttempts(attempt);
    setStatus("reconnecting");
    opts.onError?.(attempt);
    const delay = backoffDelay(attempt, opts.baseDelayMs, opts.maxDelayMs, opts.random);
    setNextRetryAt(Date.now() + delay);
    timer = setTimeout(open, delay);
  }

  const onOnline = () => {
    if (status() === "reconnecting") retryNow();
  };
  function retryNow() {
    if (closed) return;
    if (source) drop(source);
    open();
  }
  globalThis.addEventListener?.("online", onOnline);

  open();

  return {
    status,
    attempts,
    nextRetryAt,
    retryNow,
    close() {
      closed = true;
      clearTimeout(timer);
      globalThis.removeEventListener?.("online", onOnline);
      if (source) drop(source);
      setStatus("closed");
      setNextRetryAt(null);
    },
  };
}
