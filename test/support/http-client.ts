import { ClientAt, freshAddress } from "./client-at-address";

/** A small JSON client for tests: status, body and headers of every call, never throws on 4xx. */
export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export class Api {
  constructor(readonly baseUrl: string, private token?: string) {}

  as(token: string | undefined): Api {
    return new Api(this.baseUrl, token);
  }

  async call<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
    const res = await fetch(this.baseUrl + path, {
      method,
      headers: {
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
        ...(body === undefined ? {} : { "content-type": "application/json" }),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {}
    return { status: res.status, body: parsed as T, headers: res.headers };
  }

  get = <T = any>(path: string, headers?: Record<string, string>) => this.call<T>("GET", path, undefined, headers);
  post = <T = any>(path: string, body?: unknown, headers?: Record<string, string>) => this.call<T>("POST", path, body, headers);
  patch = <T = any>(path: string, body?: unknown, headers?: Record<string, string>) => this.call<T>("PATCH", path, body, headers);
  delete = <T = any>(path: string, headers?: Record<string, string>) => this.call<T>("DELETE", path, undefined, headers);

  /** Signs in and returns a client that sends the token. */
  async login(username: string, password: string): Promise<Api> {
    const res = await this.post<{ token: string }>("/api/auth/token", { username, password });
    if (res.status !== 200) throw new Error(`login ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
    return this.as(res.body.token);
  }

  /**
   * Registers a new customer and signs in. The registration comes from a loopback address of its
   * own (127.0.x.y), as each real customer has one: tests with many customers stay clear of the
   * per-address registration limit, which its own tests exercise.
   */
  async newCustomer(prefix = "cust"): Promise<Api> {
    const username = `${prefix}_${crypto.randomUUID().slice(0, 8)}`;
    const res = await new ClientAt(this.baseUrl, freshAddress()).post("/api/auth/register", { username, password: "correct-horse-battery" });
    if (res.status !== 201) throw new Error(`register failed: ${res.status} ${JSON.stringify(res.body)}`);
    return this.login(username, "correct-horse-battery");
  }
}

export const DEMO = { alice: "alice-password", bob: "bob-password", ops: "ops-password" } as const;
