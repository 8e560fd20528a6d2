/** A server a script started in the foreground (`npm run kafka -- start`, `npm run postgres -- start`). */
export interface HeldServer {
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

/**
 * Keeps the script running with its server until Ctrl-C or SIGTERM, which stop the server and exit 0;
 * if the server dies on its own first, says where its log is and exits 1, so a supervisor sees it.
 */
export function holdUntilSignal(name: string, server: HeldServer, logFile: string): void {
  let stopping = false;
  void server.exited.then((code) => {
    if (stopping) return;
    console.error(`${name}: the server exited unexpectedly (code ${code}); see ${logFile}`);
    process.exit(1);
  });
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    await server.stop();
    process.exit(0);
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
}
