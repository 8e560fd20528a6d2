// Structured JSON logs, one object per line, so they can be shipped and queried as-is.

type Level = "debug" | "info" | "warn" | "error";
const order: Record<Level | "silent", number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

import { currentTraceId } from "./observability/tracing";

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
  /** Whether a line at this level would be written (to skip building costly fields). */
  enabled(level: Level): boolean;
}

export function createLogger(level: Level | "silent" = "info", base: Record<string, unknown> = {}): Logger {
  const threshold = order[level];
  const write = (lvl: Level, msg: string, fields?: Record<string, unknown>) => {
    if (order[lvl] < threshold) return;
    const traceId = currentTraceId();
    const line = JSON.stringify({ time: new Date().toISOString(), level: lvl, msg, ...base, ...(traceId ? { traceId } : {}), ...fields }, errorReplacer);
    (lvl === "error" || lvl === "warn" ? process.stderr : process.stdout).write(line + "\n");
  };
  return {
    debug: (m, f) => write("debug", m, f),
    info: (m, f) => write("info", m, f),
    warn: (m, f) => write("warn", m, f),
    error: (m, f) => write("error", m, f),
    child: (fields) => createLogger(level, { ...base, ...fields }),
    enabled: (lvl) => order[lvl] >= threshold,
  };
}

function errorReplacer(_key: string, value: unknown) {
  if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack };
  return value;
}
