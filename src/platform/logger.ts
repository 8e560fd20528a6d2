// Structured JSON logs, one object per line, so they can be shipped and queried as-is.

type Level = "debug" | "info" | "warn" | "error";
const order: Record<Level | "silent", number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

import { writeSync } from "node:fs";
import { currentTraceId } from "./observability/tracing";

/**
 * Info and debug lines leave stdout in batches instead of one write per line: by the end of the
 * event-loop turn, or, from a `batched()` logger (the request log), within 50 ms; sooner past
 * 64 KiB. (A write per line was most of what the request log cost a read. A write per turn, a turn
 * carrying about one sampled line, measured within noise of the 50 ms batches; the batches bound
 * the writes at 20 a second whatever the rate: bench/micro/request-log.ts.) Warnings and errors go
 * to stderr at once, after whatever stdout lines came before them; what is pending at exit is
 * written synchronously then, so a process that exits (or fails to start) loses no line.
 */
const BATCH_MS = 50;
const stdoutLines = {
  pending: "",
  turnScheduled: false,
  timerScheduled: false,
  add(line: string, soon: boolean) {
    this.pending += line;
    if (this.pending.length >= 64 * 1024) this.flush();
    else if (soon && !this.turnScheduled) {
      this.turnScheduled = true;
      setImmediate(() => {
        this.turnScheduled = false;
        this.flush();
      });
    } else if (!soon && !this.timerScheduled) {
      this.timerScheduled = true;
      // Unref'd: waiting lines never keep a process alive (the exit handler writes them).
      setTimeout(() => {
        this.timerScheduled = false;
        this.flush();
      }, BATCH_MS).unref();
    }
  },
  /** The lines waiting, handed over once. */
  take(): string {
    const text = this.pending;
    this.pending = "";
    return text;
  },
  flush() {
    if (this.pending) process.stdout.write(this.take());
  },
  flushSync() {
    if (!this.pending) return;
    try {
      writeSync(1, this.take());
    } catch {
      // stdout closed or full at exit: nothing better to do with the lines
    }
  },
};
process.on("exit", () => stdoutLines.flushSync());

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
  /** The same logger, but its info and debug lines may wait up to 50 ms to be written with others (for a line per request). */
  batched(): Logger;
  /** Whether a line at this level would be written (to skip building costly fields). */
  enabled(level: Level): boolean;
}

export function createLogger(level: Level | "silent" = "info", base: Record<string, unknown> = {}, soon = true): Logger {
  const threshold = order[level];
  const write = (lvl: Level, msg: string, fields?: Record<string, unknown>) => {
    if (order[lvl] < threshold) return;
    const traceId = currentTraceId();
    const line = JSON.stringify({ time: new Date().toISOString(), level: lvl, msg, ...base, ...(traceId ? { traceId } : {}), ...fields }, errorReplacer);
    if (lvl === "error" || lvl === "warn") {
      stdoutLines.flush();
      process.stderr.write(line + "\n");
    } else stdoutLines.add(line + "\n", soon);
  };
  return {
    debug: (m, f) => write("debug", m, f),
    info: (m, f) => write("info", m, f),
    warn: (m, f) => write("warn", m, f),
    error: (m, f) => write("error", m, f),
    child: (fields) => createLogger(level, { ...base, ...fields }, soon),
    batched: () => createLogger(level, base, false),
    enabled: (lvl) => order[lvl] >= threshold,
  };
}

function errorReplacer(_key: string, value: unknown) {
  if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack };
  return value;
}
