import type { Logger } from "./logger";
import { uncaughtErrors } from "./observability/metrics";

/** A start-up failure whose message says it all (which setting, which file): printed alone, exit 1. */
export class StartupError extends Error {
  override name = "StartupError";
}

let serving = false;
let log: Logger | undefined;

function onUncaught(error: unknown): void {
  if (!serving) {
    // Still starting: nothing was promised to anyone yet, so a failure ends the process, named.
    console.error(error instanceof StartupError ? error.message : error);
    process.exit(1);
  }
  // Serving: an error nobody caught (an after-response hook, a timer) must not take every
  // in-flight request and every module down with it. It is logged and counted.
  uncaughtErrors.inc();
  try {
    log?.error("uncaught error; the process keeps serving", { err: error });
  } catch {
    /* nothing left to report with */
  }
}

/**
 * Installed by each entrypoint before it opens anything: until `nowServing()`, an uncaught error
 * ends the process with its message (a StartupError's alone); after, it is logged and the process
 * keeps serving.
 */
export function guardProcess(): void {
  if (process.listeners("uncaughtException").includes(onUncaught)) return;
  process.on("uncaughtException", onUncaught);
  process.on("unhandledRejection", onUncaught);
}

/** Called once the process listens: from here on uncaught errors go to `logger`. */
export function nowServing(logger: Logger): void {
  log = logger;
  serving = true;
}
