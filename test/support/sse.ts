/** Reads a Server-Sent Events stream in the background and keeps every event it sees. */
export class SseRecorder {
  readonly events: Array<{ id?: string; event: string; data: any }> = [];
  private readonly controller = new AbortController();
  readonly connected: Promise<void>;

  constructor(url: string) {
    let ready!: () => void;
    this.connected = new Promise((r) => (ready = r));
    void this.read(url, ready).catch(() => undefined);
  }

  private async read(url: string, ready: () => void) {
    const res = await fetch(url, { signal: this.controller.signal });
    if (!res.ok || !res.body) throw new Error(`stream answered ${res.status}`);
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      buffer += value;
      if (buffer.includes(": connected")) ready();
      let end: number;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const fields: Record<string, string> = {};
        for (const line of block.split("\n")) {
          const i = line.indexOf(":");
          if (i > 0) fields[line.slice(0, i)] = line.slice(i + 1).trimStart();
        }
        if (fields.data) this.events.push({ id: fields.id, event: fields.event ?? "message", data: JSON.parse(fields.data) });
      }
    }
  }

  /** Waits (bounded) until `predicate` holds for the events seen so far. */
  async waitFor(predicate: (events: SseRecorder["events"]) => boolean, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.events)) {
      if (Date.now() > deadline) throw new Error(`SSE condition not met in ${timeoutMs} ms; saw ${this.events.length} events`);
      await Bun.sleep(50);
    }
  }

  close() {
    this.controller.abort();
  }
}

/** Retries `check` until it passes or the time is up (for effects that arrive through events). */
export async function eventually(check: () => Promise<void>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await Bun.sleep(100);
    }
  }
}
