import { request as httpRequest } from "node:http";
import type { ApiResponse } from "./http-client";

let next = 0;
/** A loopback address no other client of this test process used (127.0.1.1, 127.0.1.2, ...): a client of its own for per-address limits. */
export function freshAddress(): string {
  next++;
  return `127.0.${1 + Math.floor(next / 250)}.${1 + (next % 250)}`;
}

/**
 * A JSON client whose connections come from a chosen loopback address (Linux answers on all of
 * 127.0.0.0/8), so the shop sees distinct clients; node:http because fetch cannot pick its
 * source address. Same shape of answers as Api.
 */
export class ClientAt {
  constructor(readonly baseUrl: string, readonly address: string, readonly token?: string) {}

  as(token: string | undefined): ClientAt {
    return new ClientAt(this.baseUrl, this.address, token);
  }

  call<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
    const url = new URL(this.baseUrl + path);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = httpRequest(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname + url.search,
          method,
          localAddress: this.address,
          timeout: 15_000,
          headers: {
            ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
            ...(payload === undefined ? {} : { "content-type": "application/json", "content-length": String(Buffer.byteLength(payload)) }),
            ...headers,
          },
        },
        (res) => {
          let text = "";
          res.setEncoding("utf8");
          res.on("data", (chunk) => (text += chunk));
          res.on("end", () => {
            let parsed: unknown = text;
            try {
              parsed = text ? JSON.parse(text) : undefined;
            } catch {}
            const out = new Headers();
            for (const [name, value] of Object.entries(res.headers)) if (typeof value === "string") out.set(name, value);
            resolve({ status: res.statusCode ?? 0, body: parsed as T, headers: out });
          });
          res.on("error", reject);
        },
      );
      req.on("timeout", () => req.destroy(new Error(`${method} ${path} timed out`)));
      req.on("error", reject);
      req.end(payload);
    });
  }

  get = <T = any>(path: string, headers?: Record<string, string>) => this.call<T>("GET", path, undefined, headers);
  post = <T = any>(path: string, body?: unknown, headers?: Record<string, string>) => this.call<T>("POST", path, body, headers);

  /** Registers a customer (from this address) and returns the name. */
  async register(prefix: string, password = "correct-horse-battery"): Promise<string> {
    const username = `${prefix}_${crypto.randomUUID().slice(0, 8)}`;
    const res = await this.post("/api/auth/register", { username, password });
    if (res.status !== 201) throw new Error(`register failed: ${res.status} ${JSON.stringify(res.body)}`);
    return username;
  }

  /** Signs in (from this address) and returns a client that sends the token. */
  async login(username: string, password = "correct-horse-battery"): Promise<ClientAt> {
    const res = await this.post<{ token: string }>("/api/auth/token", { username, password });
    if (res.status !== 200) throw new Error(`login ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
    return this.as(res.body.token);
  }
}

/** A new customer registered and signed in from an address of its own, then acting from `address`. */
export async function customerAt(baseUrl: string, address: string, prefix = "cust"): Promise<ClientAt> {
  const setup = new ClientAt(baseUrl, freshAddress());
  const username = await setup.register(prefix);
  const signedIn = await setup.login(username);
  return new ClientAt(baseUrl, address, signedIn.token);
}
