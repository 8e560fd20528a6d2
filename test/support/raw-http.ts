import { connect } from "node:net";

/** What came back on a raw connection: the bytes as latin1 text, and whether the server closed it. */
export interface RawAnswer {
  text: string;
  closedByServer: boolean;
  /** Status code of the first response, or undefined when nothing HTTP-shaped came back. */
  status: number | undefined;
  /** The first response's body (everything after its head). */
  body: string;
}

/**
 * Writes `payload` as-is on a fresh loopback connection (no client-side HTTP: whatever bytes a
 * hostile client would send) and collects the answer until the server closes the connection, the
 * answer has been quiet for `quietMs`, or `timeoutMs` passes. Bounded in time; never throws.
 */
export function rawExchange(port: number, payload: string | Uint8Array, opts: { timeoutMs?: number; quietMs?: number } = {}): Promise<RawAnswer> {
  const { timeoutMs = 5_000, quietMs = 300 } = opts;
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    let text = "";
    let closedByServer = false;
    let done = false;
    let quiet: Timer | undefined;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(deadline);
      clearTimeout(quiet);
      socket.destroy();
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1];
      const head = text.indexOf("\r\n\r\n");
      resolve({ text, closedByServer, status: status ? Number(status) : undefined, body: head === -1 ? "" : text.slice(head + 4) });
    };
    const deadline = setTimeout(finish, timeoutMs);
    socket.on("data", (chunk) => {
      text += chunk.toString("latin1");
      clearTimeout(quiet);
      quiet = setTimeout(finish, quietMs);
    });
    socket.on("end", () => {
      closedByServer = true;
      finish();
    });
    socket.on("close", finish);
    socket.on("error", finish);
    socket.write(typeof payload === "string" ? Buffer.from(payload, "latin1") : payload);
  });
}

/** A GET of `target` with the given Host line (or none), closing after the answer. */
export const rawGet = (target: string, host: string | null = "127.0.0.1", version = "1.1") =>
  `GET ${target} HTTP/${version}\r\n${host === null ? "" : `Host: ${host}\r\n`}Connection: close\r\n\r\n`;

/** The start of a TLS 1.2 ClientHello, as a browser sends it to an https:// URL on a plain port. */
export const TLS_CLIENT_HELLO = Buffer.from(
  "16030100a5010000a10303" + "00".repeat(32) + "000020c02bc02fc02cc030cca9cca8c013c014009c009d002f0035000a0100005800000014001200000f6578616d706c652e636f6d",
  "hex",
);
