import type { AnyElysia } from "elysia";
import type { Config } from "./config";
import type { Logger } from "./logger";
import { serveMetrics } from "./http/metrics-listener";
import { shutdownTracing } from "./observability/tracing";
import { nowServing, StartupError } from "./process-guard";

/** Where to listen: the public port, and the metrics port when metrics have their own. */
export type ListenConfig = Pick<Config, "port" | "host" | "metricsPort" | "reusePort" | "idleTimeoutSeconds">;

/** Opens a listener, or fails the start naming the setting: a taken port is an error unless REUSE_PORT asks to share it. */
function listenOrFail<T>(variable: string, port: number, host: string, listen: () => T): T {
  try {
    return listen();
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === "EADDRINUSE") {
      throw new StartupError(`${variable} ${port} is already in use on ${host}: another process listens there (REUSE_PORT=true shares a port on purpose)`);
    }
    throw new StartupError(`${variable} ${port} cannot be opened on HOST ${host}: ${(error as Error).message}`);
  }
}

/**
 * Listens, and on SIGTERM/SIGINT shuts down in order: stop accepting connections and let
 * in-flight requests finish, stop background work, close databases, exit.
 */
export async function serveUntilSignalled(
  app: AnyElysia,
  listen: ListenConfig,
  log: Logger,
  onShutdown: () => Promise<void>,
  /** Ends long-lived responses (the live stream) so the in-flight requests can finish. */
  beforeClose: () => void = () => {},
  /** More fields for the "listening" line, given the URL it names (the page to open, how to sign in). */
  welcome: (url: string) => Record<string, unknown> = () => ({}),
): Promise<{ port: number; metricsPort?: number }> {
  const { host, reusePort } = listen;
  // Elysia asks Bun for SO_REUSEPORT unless told: a second instance would share the port silently.
  listenOrFail("PORT", listen.port, host, () => app.listen({ port: listen.port, hostname: host, reusePort, idleTimeout: listen.idleTimeoutSeconds }));
  const server = app.server!;
  const metrics =
    listen.metricsPort === undefined ? undefined : listenOrFail("METRICS_PORT", listen.metricsPort, host, () => serveMetrics({ port: listen.metricsPort!, host, reusePort, log }));
  const actualPort = server.port ?? listen.port;
  nowServing(log);
  const url = `http://${host === "0.0.0.0" || host === "::" ? "localhost" : host}:${actualPort}/`;
  log.info("listening", { url, port: actualPort, ...(metrics ? { metricsPort: metrics.port } : {}), pid: process.pid, ...welcome(url) });

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
      await metrics?.stop(true);
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
  return { port: actualPort, ...(metrics ? { metricsPort: metrics.port } : {}) };
}
