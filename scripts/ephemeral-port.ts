import { createServer } from "node:net";

/** A port the kernel just handed out on 127.0.0.1 (free now; someone may take it before we listen). */
export function ephemeralPort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once("error", fail);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => ok(port));
    });
  });
}
