import { freePort, startEntrypoint, tempDir, type ServerProcess } from "./processes";

export type ServiceName = "catalog" | "cart" | "order" | "payment" | "gateway";

/**
 * The shop in split mode on loopback: four module services and the gateway, each its own
 * process with its own data folder, wired by URL, events through Kafka when brokers are given.
 */
export class SplitShop {
  readonly ports: Record<ServiceName, number>;
  readonly dataDirs: Record<ServiceName, string>;
  readonly procs = new Map<ServiceName, ServerProcess>();

  constructor(
    private readonly env: Record<string, string> = {},
    /** Which file runs a service: its source entrypoint by default, or a built bundle. */
    private readonly entryFor: (name: ServiceName) => string = (name) => `${name}.ts`,
  ) {
    const names: ServiceName[] = ["catalog", "cart", "order", "payment", "gateway"];
    this.ports = Object.fromEntries(names.map((n) => [n, freePort()])) as Record<ServiceName, number>;
    this.dataDirs = Object.fromEntries(names.map((n) => [n, tempDir(`shop-${n}-`)])) as Record<ServiceName, string>;
  }

  get url(): string {
    return `http://127.0.0.1:${this.ports.gateway}`;
  }

  private envFor(name: ServiceName): Record<string, string> {
    const url = (n: ServiceName) => `http://127.0.0.1:${this.ports[n]}`;
    return {
      CATALOG_URL: url("catalog"),
      CART_URL: url("cart"),
      ORDER_URL: url("order"),
      PAYMENT_URL: url("payment"),
      // The gateway answers whether a token's session is live, and is the proxy whose
      // X-Forwarded-For the services believe (it faces the clients, so it trusts nobody's).
      IDENTITY_URL: url("gateway"),
      ...(name === "gateway" ? {} : { TRUSTED_PROXIES: "127.0.0.1" }),
      ...this.env,
    };
  }

  async start(): Promise<this> {
    // Dependencies first, so every service can reach what it calls from its first request.
    await Promise.all((["catalog", "payment"] as const).map((n) => this.startOne(n)));
    await Promise.all((["cart", "order", "gateway"] as const).map((n) => this.startOne(n)));
    return this;
  }

  /** `extraEnv`: for this process only (a crash point in one service). */
  async startOne(name: ServiceName, extraEnv: Record<string, string> = {}): Promise<ServerProcess> {
    const proc = await startEntrypoint(this.entryFor(name), { ...this.envFor(name), ...extraEnv }, { port: this.ports[name], dataDir: this.dataDirs[name], readyTimeoutMs: 30_000 });
    this.procs.set(name, proc);
    return proc;
  }

  async stopOne(name: ServiceName): Promise<void> {
    await this.procs.get(name)?.stop();
    this.procs.delete(name);
  }

  async stop(): Promise<void> {
    await Promise.all([...this.procs.keys()].map((n) => this.stopOne(n)));
  }

  output(name: ServiceName): string {
    return this.procs.get(name)?.output() ?? "";
  }
}
