import type { AnyElysia } from "elysia";
import type { Logger } from "./logger";
import { shutdownTracing } from "./observability/tracing";

/**
 * Listens, and on SIGTERM/SIGINT shuts down in order: stop accepting connections and let
 * in-flight requests finish, stop background work, close databases, exit.
 */
export async function serveUntilSignalled(
  app: AnyElysia,
  port: number,
  log: Logger,
  onShutdown: () => Promise<void>,
  /** Ends long-lived responses (the live stream) so the in-flight requests can finish. */
  beforeClose: () => void = () => {},
  /** More fields for the "listening" line, given the URL it names (the page to open, how to sign in). */
  welcome: (url: string) => Record<string, unknown> = () => ({}),
): Promise<{ port: number }> {
  const host = process.env.HOST || "0.0.0.0";
  app.listen({ port, hostname: host });
  const server = app.server!;
  const actualPort = server.port ?? port;
  const url = `http://${host === "0.0.0.0" || host === "::" ? "localhost" : host}:${actualPort}/`;
  log.info("listening", { url, port: actualPort, pid: process.pid, ...welcome(url) });

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info("shutting down", { signal });
    const deadline = setTimeout(() => {
      log.error("shutdown took too long; exiting");
      process.exit(1);
    }, 15_000);
    try {
      const closing = server.stop(false); // false: accept no new connections, finish in-flight requests
      beforeClose();
      await closing;
      await onShutdown();
      await shutdownTracing(); // exports the last spans
      log.info("stopped cleanly");
    } catch (error) {
      log.error("error during shutdown", { err: error });
    } finally {
      clearTimeout(deadline);
      process.exit(0);
    }
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
  return { port: actualPort };
}
