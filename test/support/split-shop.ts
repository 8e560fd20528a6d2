import { splitWiring, type SplitService } from "../../scripts/split-wiring";
import { freePort, startEntrypoint, tempDir, type ServerProcess } from "./processes";

export type ServiceName = SplitService;
/** One process: "order" is a service's first replica, "order-2" its second. */
export type InstanceName = ServiceName | `${Exclude<ServiceName, "gateway">}-${number}`;

/**
 * The shop in split mode on loopback: four module services and the gateway, each its own
 * process with its own data folder, wired by URL, events through Kafka when brokers are given.
 * With `replicas` > 1 (PostgreSQL only), each module service runs that many processes and every
 * *_URL lists them all; the gateway stays one.
 */
export class SplitShop {
  readonly ports: Record<InstanceName, number>;
  readonly dataDirs: Record<InstanceName, string>;
  readonly procs = new Map<InstanceName, ServerProcess>();
  readonly replicas: number;

  constructor(
    private readonly env: Record<string, string> = {},
    /** Which file runs a service: its source entrypoint by default, or a built bundle. */
    private readonly entryFor: (name: ServiceName) => string = (name) => `${name}.ts`,
    opts: { replicas?: number } = {},
  ) {
    this.replicas = opts.replicas ?? 1;
    const names = (["catalog", "cart", "order", "payment", "gateway"] as const).flatMap((n) => this.instancesOf(n));
    this.ports = Object.fromEntries(names.map((n) => [n, freePort()])) as Record<InstanceName, number>;
    this.dataDirs = Object.fromEntries(names.map((n) => [n, tempDir(`shop-${n}-`)])) as Record<InstanceName, string>;
  }

  /** The processes of a service: ["order", "order-2", ...]. */
  instancesOf(service: ServiceName): InstanceName[] {
    if (service === "gateway") return ["gateway"];
    return Array.from({ length: this.replicas }, (_, i) => (i === 0 ? service : (`${service}-${i + 1}` as InstanceName)));
  }

  /** The URL of one process. */
  urlOf(name: InstanceName): string {
    return `http://127.0.0.1:${this.ports[name]}`;
  }

  get url(): string {
    return `http://127.0.0.1:${this.ports.gateway}`;
  }

  private envFor(service: ServiceName): Record<string, string> {
    const urls = (n: ServiceName) => this.instancesOf(n).map((i) => this.urlOf(i)).join(",");
    return { ...splitWiring(service, urls, this.url), ...this.env };
  }

  async start(): Promise<this> {
    // Dependencies first, so every service can reach what it calls from its first request.
    await Promise.all((["catalog", "payment"] as const).flatMap((n) => this.instancesOf(n)).map((n) => this.startOne(n)));
    await Promise.all((["cart", "order", "gateway"] as const).flatMap((n) => this.instancesOf(n)).map((n) => this.startOne(n)));
    return this;
  }

  /** `extraEnv`: for this process only (a crash point in one service). */
  async startOne(name: InstanceName, extraEnv: Record<string, string> = {}): Promise<ServerProcess> {
    const service = name.replace(/-\d+$/, "") as ServiceName;
    const proc = await startEntrypoint(this.entryFor(service), { ...this.envFor(service), ...extraEnv }, { port: this.ports[name], dataDir: this.dataDirs[name], readyTimeoutMs: 30_000 });
    this.procs.set(name, proc);
    return proc;
  }

  async stopOne(name: InstanceName): Promise<void> {
    await this.procs.get(name)?.stop();
    this.procs.delete(name);
  }

  /** SIGKILL, as a crash: nothing of the process's own shutdown runs. `startOne` brings it back. */
  async killOne(name: InstanceName): Promise<void> {
    await this.procs.get(name)?.kill();
    this.procs.delete(name);
  }

  async stop(): Promise<void> {
    await Promise.all([...this.procs.keys()].map((n) => this.stopOne(n)));
  }

  output(name: InstanceName): string {
    return this.procs.get(name)?.output() ?? "";
  }
}
