// Command-line flags of `bun run bench`.
export interface BenchArgs {
  modes: Array<"all" | "split">;
  /** Which storage engines the shop runs on (each mode once per engine). */
  engines: Array<"sqlite" | "postgres">;
  /** PostgreSQL's synchronous_commit for the run (on: an acknowledged order survives a crash of the server). */
  postgresSync: "on" | "off";
  seconds: number;
  connections: number;
  /** Count bound per workload, whichever of time and count comes first. */
  requests: number;
  readThreads: number;
  warmupSeconds: number;
  /** Where the shop's and the ceilings' data folders go (default: the OS temp folder). */
  dataRoot?: string;
}

const USAGE = `usage: bun run bench [--mode all|split|both] [--engine sqlite|postgres|both] [--postgres-sync on|off] [--seconds N] [--connections N] [--requests N] [--read-threads N] [--warmup N] [--data-root DIR]
  --mode          which shop layouts to measure (default both)
  --engine        which storage engines (default both: SQLite files, and one local PostgreSQL server started for the run)
  --postgres-sync synchronous_commit of that server (default on; off only to measure what durability costs)
  --seconds       length of each measured window (default 10)
  --connections   concurrent connections; in the checkout workload one customer each (default 64)
  --requests      count bound of each workload's window (default 1000000)
  --read-threads  wrk threads for the read workloads (default 1; checkout uses one per connection)
  --warmup        seconds of unmeasured load before each window (default 2)
  --data-root     folder for every data folder (default the OS temp folder; /dev/shm shows the cost without the disk)`;

export function parseArgs(argv: string[]): BenchArgs {
  const a: BenchArgs = { modes: ["all", "split"], engines: ["sqlite", "postgres"], postgresSync: "on", seconds: 10, connections: 64, requests: 1_000_000, readThreads: 1, warmupSeconds: 2 };
  const num = (flag: string, v: string | undefined, min: number, max: number) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) fail(`${flag} must be a whole number from ${min} to ${max}, got ${v}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i]!.split("=", 2) as [string, string | undefined];
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case "--mode": {
        const m = value();
        if (m === "both") a.modes = ["all", "split"];
        else if (m === "all" || m === "split") a.modes = [m];
        else fail(`--mode must be all, split or both, got ${m}`);
        break;
      }
      case "--engine": {
        const e = value();
        if (e === "both") a.engines = ["sqlite", "postgres"];
        else if (e === "sqlite" || e === "postgres") a.engines = [e];
        else fail(`--engine must be sqlite, postgres or both, got ${e}`);
        break;
      }
      case "--postgres-sync": {
        const v = value();
        if (v !== "on" && v !== "off") fail(`--postgres-sync must be on or off, got ${v}`);
        a.postgresSync = v as "on" | "off";
        break;
      }
      case "--seconds": a.seconds = num(flag, value(), 1, 300); break;
      case "--connections": a.connections = num(flag, value(), 1, 1000); break;
      case "--requests": a.requests = num(flag, value(), 100, 100_000_000); break;
      case "--read-threads": a.readThreads = num(flag, value(), 1, 16); break;
      case "--warmup": a.warmupSeconds = num(flag, value(), 0, 60); break;
      case "--data-root": a.dataRoot = value(); break;
      case "-h":
      case "--help": console.log(USAGE); process.exit(0);
      default: fail(`unknown flag ${flag}`);
    }
  }
  if (a.readThreads > a.connections) a.readThreads = a.connections;
  return a;
}

function fail(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}
