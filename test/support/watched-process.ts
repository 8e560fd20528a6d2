import type { Subprocess } from "bun";

/** A process started by a test whose output is kept and can be waited on (a launcher, `npm start`). */
export class WatchedProcess {
  private text = "";

  constructor(readonly proc: Subprocess<"ignore", "pipe", "pipe">) {
    for (const stream of [proc.stdout, proc.stderr]) void this.collect(stream);
  }

  static spawn(cmd: string[], opts: { cwd: string; env: Record<string, string | undefined>; detached?: boolean }): WatchedProcess {
    return new WatchedProcess(Bun.spawn(cmd, { cwd: opts.cwd, env: opts.env, stdin: "ignore", stdout: "pipe", stderr: "pipe", detached: opts.detached }));
  }

  private async collect(stream: ReadableStream<Uint8Array>) {
    const decoder = new TextDecoder();
    const reader = stream.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      this.text += decoder.decode(value, { stream: true });
      if (this.text.length > 2_000_000) this.text = this.text.slice(-1_000_000);
    }
  }

  get pid(): number {
    return this.proc.pid;
  }

  output(): string {
    return this.text;
  }

  /** Resolves with the first match of `pattern` in the output; fails when the process ends first or time runs out. */
  async waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = this.text.match(pattern);
      if (match) return match;
      if (this.proc.exitCode !== null || this.proc.signalCode) {
        await Bun.sleep(200); // the last lines
        const late = this.text.match(pattern);
        if (late) return late;
        throw new Error(`exited (${this.proc.exitCode ?? this.proc.signalCode}) before printing ${pattern}:\n${this.text.slice(-5000)}`);
      }
      if (Date.now() > deadline) throw new Error(`no ${pattern} after ${timeoutMs} ms:\n${this.text.slice(-5000)}`);
      await Bun.sleep(100);
    }
  }

  /** The exit code, or null when it has not exited within `timeoutMs`. */
  async exitWithin(timeoutMs: number): Promise<number | null> {
    return Promise.race([this.proc.exited, Bun.sleep(timeoutMs).then(() => null)]);
  }

  kill(signal: NodeJS.Signals = "SIGKILL") {
    if (this.proc.exitCode === null && !this.proc.signalCode) this.proc.kill(signal);
  }
}
