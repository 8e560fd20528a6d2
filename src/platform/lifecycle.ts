import type { AnyElysia } from "elysia";
import type { Logger } from "./logger";

/**
 * Listens, and on SIGTERM/SIGINT shuts down in order: stop accepting connections and let
 * in-flight requests finish, stop background work, close databases, exit.
 */
export async function serveUntilSignalled(
  app: AnyElysia,
  port: number,
  log: Logger,
  onShutdown: () => Promise<void>,
): Promise<{ port: number }> {
  app.listen({ port, hostname: process.env.HOST || "0.0.0.0" });
  const actualPort = app.server?.port ?? port;
  log.info("listening", { port: actualPort, pid: process.pid });

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
      await app.server?.stop(false); // false: finish in-flight requests, accept no new ones
      await onShutdown();
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
