// Single-node Apache Kafka (KRaft, no ZooKeeper) on loopback for tests and developers.
// Jars come from Maven Central via scripts/kafka/pom.xml (Kafka isn't a Debian package).
//   npm run kafka -- start     # foreground broker on 127.0.0.1:19092 (KAFKA_PORT), Ctrl-C to stop
//   npm run kafka -- prepare   # only resolve jars (CI warm-up)
import { randomBytes } from "node:crypto";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join, resolve } from "node:path";
import { Kafka, logLevel } from "kafkajs";
import type { Subprocess } from "bun";
import { ephemeralPort } from "../ephemeral-port";
import { holdUntilSignal } from "../hold-until-signal";

const ROOT = resolve(import.meta.dir, "../..");
const POM = join(import.meta.dir, "pom.xml");
const CACHE = join(ROOT, ".cache");

export interface KafkaBroker {
  brokers: string;
  port: number;
  controllerPort: number;
  dataDir: string;
  stop(): Promise<void>;
  kill(): void;
  /** Resolves with the JVM's exit code, whoever stopped it. */
  exited: Promise<number>;
}

export interface StartKafkaOptions {
  port?: number;
  controllerPort?: number;
  dataDir?: string;
  logFile?: string;
  /** Progress for a person waiting (jar downloads, storage format, start); silent by default. */
  log?: (message: string) => void;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export interface PrepareKafkaOptions {
  /** Holds m2/ (the Maven repository) and kafka/classpath.txt; default .cache/ of the repository. */
  cacheDir?: string;
  /** Progress for a person waiting: what is downloaded, how much so far. Silent by default. */
  log?: (message: string) => void;
}

const KAFKA_VERSION = /<kafka\.version>([^<]+)</.exec(readFileSync(POM, "utf8"))?.[1] ?? "?";

/** Resolves the broker classpath with Maven; cached until pom.xml changes or a jar goes missing. */
export async function prepareKafka(opts: PrepareKafkaOptions = {}): Promise<string> {
  const cacheDir = resolve(opts.cacheDir ?? CACHE);
  const classpathFile = join(cacheDir, "kafka", "classpath.txt");
  if (existsSync(classpathFile) && statSync(classpathFile).mtimeMs > statSync(POM).mtimeMs) {
    const cp = readFileSync(classpathFile, "utf8").trim();
    if (cp && cp.split(":").every((jar) => existsSync(jar))) return cp;
  }
  mkdirSync(join(cacheDir, "kafka"), { recursive: true });
  const repo = join(cacheDir, "m2");
  const log = opts.log ?? (() => {});
  log(
    existsSync(join(repo, "org", "apache", "kafka"))
      ? `checking the jars of Apache Kafka ${KAFKA_VERSION} in ${repo} (Maven)`
      : `first start: downloading Apache Kafka ${KAFKA_VERSION} and its dependencies from Maven Central into ${repo} (about 70 MB, once)`,
  );
  // Write to a temp file then rename, so a concurrent reader never sees a partial classpath.
  const tmp = `${classpathFile}.${process.pid}.tmp`;
  const mvn = Bun.spawn(
    ["mvn", "-B", "-Dstyle.color=never", "-f", POM, `-Dmaven.repo.local=${repo}`,
      "dependency:build-classpath", `-Dmdep.outputFile=${tmp}`],
    { stdout: "pipe", stderr: "pipe" },
  );
  const progress = new DownloadProgress(log);
  const [out, err, code] = await Promise.all([progress.follow(mvn.stdout), new Response(mvn.stderr).text(), mvn.exited]);
  progress.done();
  if (code !== 0 || !existsSync(tmp)) throw new Error(`Kafka jar resolution failed (mvn exit ${code}):\n${out}\n${err}`);
  renameSync(tmp, classpathFile);
  return readFileSync(classpathFile, "utf8").trim();
}

const UNITS: Record<string, number> = { B: 1, kB: 1e3, KB: 1e3, MB: 1e6, GB: 1e9 };

/** Reads Maven's "Downloaded from central: <url> (9.8 kB at 41 kB/s)" lines: one line per jar, a total, and a heartbeat. */
class DownloadProgress {
  private files = 0;
  private jars = 0;
  private bytes = 0;
  private lastLog = Date.now();
  private readonly heartbeat: ReturnType<typeof setInterval>;

  constructor(private readonly log: (message: string) => void) {
    this.heartbeat = setInterval(() => {
      if (Date.now() - this.lastLog >= 5_000) this.say(`still resolving: ${this.files} files (${mb(this.bytes)}) downloaded so far`);
    }, 1_000);
  }

  private say(message: string) {
    this.lastLog = Date.now();
    this.log(message);
  }

  /** Consumes Maven's output, reporting downloads; resolves with the output (the tail, for an error message). */
  async follow(stream: ReadableStream<Uint8Array>): Promise<string> {
    const lines: string[] = [];
    let partial = "";
    const decoder = new TextDecoder();
    const reader = stream.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const text = partial + decoder.decode(value, { stream: true });
      const parts = text.split("\n");
      partial = parts.pop()!;
      for (const line of parts) {
        lines.push(line);
        if (lines.length > 400) lines.splice(0, 200);
        this.read(line);
      }
    }
    return [...lines, partial].join("\n");
  }

  private read(line: string) {
    const m = /Downloaded from [^:]+: (\S+) \(([\d.]+) (B|kB|KB|MB|GB)/.exec(line);
    if (!m) return;
    this.files++;
    this.bytes += Number(m[2]) * (UNITS[m[3]!] ?? 1);
    if (m[1]!.endsWith(".jar")) {
      this.jars++;
      this.say(`downloaded ${m[1]!.slice(m[1]!.lastIndexOf("/") + 1)} (${m[2]} ${m[3]}): ${this.jars} jars, ${mb(this.bytes)} so far`);
    }
  }

  done() {
    clearInterval(this.heartbeat);
    if (this.files) this.say(`downloads done: ${this.files} files, ${mb(this.bytes)}`);
  }
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

const PORT_TAKEN = /already in use|BindException/;

/**
 * Starts a broker on two ports picked now (broker and controller), picking again when another
 * process took one between the pick and the broker's listen: on a busy machine a port handed out
 * as free can be an outgoing connection's local port a moment later. Up to 5 attempts.
 */
export async function startKafkaOnFreePorts(
  opts: Omit<StartKafkaOptions, "port" | "controllerPort"> = {},
  pickPort: () => Promise<number> = ephemeralPort,
): Promise<KafkaBroker> {
  for (let attempt = 1; ; attempt++) {
    const port = await pickPort();
    let controllerPort = await pickPort();
    while (controllerPort === port) controllerPort = await pickPort();
    try {
      return await startKafka({ ...opts, port, controllerPort });
    } catch (error) {
      if (attempt >= 5 || !PORT_TAKEN.test((error as Error).message)) throw error;
    }
  }
}

/** Throws if something already listens on the port: otherwise the readiness probe could "succeed" against it. */
function assertPortFree(port: number): Promise<void> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once("error", (e) => fail(new Error(`port 127.0.0.1:${port} is already in use (${(e as Error).message})`)));
    srv.listen(port, "127.0.0.1", () => srv.close(() => ok()));
  });
}

/** This run's ERROR lines (with the exception line after each) and its last lines: shutdown noise hides the cause. */
function logExcerpt(file: string, from: number): string {
  let lines: string[];
  try {
    lines = readFileSync(file).subarray(from).toString("utf8").trimEnd().split("\n");
  } catch {
    return "(no log)";
  }
  const errors = lines.flatMap((l, i) => (/\] (ERROR|FATAL) /.test(l) ? [l, lines[i + 1] ?? ""] : [])).slice(0, 8);
  return [...errors, "...", ...lines.slice(-20)].join("\n");
}

/** A second JVM on the same dataDir would clobber server.properties and briefly run a controller on live data. */
function assertDataDirFree(pidFile: string): void {
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, "utf8"));
  try {
    if (readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("kafka.Kafka")) throw new Error(`kafka data dir ${pidFile} is in use by pid ${pid}`);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e; // ENOENT: stale pid file
  }
}

/** Ready = metadata answers, the broker is registered (unfenced) with the KRaft controller, and the group
 * coordinator has loaded (after a restart admin.fetchOffsets fails with NOT_COORDINATOR until then). */
async function probe(brokers: string): Promise<boolean> {
  const admin = new Kafka({
    clientId: "kafka-probe", brokers: [brokers], logLevel: logLevel.NOTHING,
    connectionTimeout: 1000, requestTimeout: 2000, retry: { retries: 0 },
  }).admin();
  try {
    await admin.connect();
    await admin.listTopics();
    if ((await admin.describeCluster()).brokers.length === 0) return false;
    await admin.describeGroups(["kafka-readiness-probe"]); // throws while the coordinator is loading
    return true;
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

function serverProperties(port: number, controllerPort: number, logDir: string): string {
  return `${[
    // Combined broker+controller node with a static single-voter quorum (works on 3.x and 4.x).
    "process.roles=broker,controller",
    "node.id=1",
    `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
    `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${port}`,
    "controller.listener.names=CONTROLLER",
    "inter.broker.listener.name=PLAINTEXT",
    "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
    `log.dirs=${logDir}`,
    "num.partitions=1",
    // Single node: internal topics can't have more than one replica.
    "offsets.topic.replication.factor=1",
    "transaction.state.log.replication.factor=1",
    "transaction.state.log.min.isr=1",
    "min.insync.replicas=1",
    "group.initial.rebalance.delay.ms=0",
    // Topics are created explicitly, like in production.
    "auto.create.topics.enable=false",
  ].join("\n")}\n`;
}

// Plain console logging: the child's stdout is redirected to logFile.
const LOG4J = `log4j.rootLogger=INFO, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.request.logger=WARN
log4j.logger.state.change.logger=WARN
`;

export async function startKafka(opts: StartKafkaOptions = {}): Promise<KafkaBroker> {
  const port = opts.port ?? 19092;
  const controllerPort = opts.controllerPort ?? port + 1;
  const dataDir = resolve(opts.dataDir ?? join(CACHE, "kafka", `data-${port}`));
  const logFile = resolve(opts.logFile ?? join(dataDir, "broker.log"));
  const logDir = join(dataDir, "kraft");
  const props = join(dataDir, "server.properties");
  const log4j = join(dataDir, "log4j.properties");
  const pidFile = join(dataDir, "broker.pid");
  const brokers = `127.0.0.1:${port}`;

  const say = opts.log ?? (() => {});
  const startedAt = performance.now();
  const classpath = await prepareKafka({ log: say });
  assertDataDirFree(pidFile);
  await assertPortFree(port);
  await assertPortFree(controllerPort);
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(props, serverProperties(port, controllerPort, logDir));
  writeFileSync(log4j, LOG4J);
  const java = process.env.JAVA_HOME ? join(process.env.JAVA_HOME, "bin", "java") : "java";
  const jvm = [java, "-Xms128m", "-Xmx512m", "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20",
    "-Djava.awt.headless=true", `-Dlog4j.configuration=file:${log4j}`, "-cp", classpath];

  const fd = openSync(logFile, "a");
  const logStart = statSync(logFile).size;
  let proc: Subprocess;
  try {
    // Format only once: a restart on the same dataDir must keep topics and offsets.
    if (!existsSync(join(logDir, "meta.properties"))) {
      say(`formatting the broker's storage in ${logDir}`);
      let clusterId: string;
      do clusterId = randomBytes(16).toString("base64url"); while (clusterId.startsWith("-")); // Kafka rejects a leading '-'
      const fmt = Bun.spawn([...jvm, "kafka.tools.StorageTool", "format", "--config", props, "--cluster-id", clusterId, "--ignore-formatted"],
        { stdout: fd, stderr: fd });
      const code = await Promise.race([fmt.exited, sleep(60_000).then(() => (fmt.kill("SIGKILL"), -1))]);
      if (code !== 0) throw new Error(`kafka storage format failed (exit ${code}); log ${logFile}:\n${logExcerpt(logFile, logStart)}`);
    }
    say(`starting the broker on ${brokers} (its log: ${logFile})`);
    writeFileSync(fd, `\n===== starting kafka on ${brokers} at ${new Date().toISOString()} =====\n`);
    // setpriv --pdeathsig: the kernel kills the JVM even if the parent dies from a signal or SIGKILL
    // (the 'exit' hook below only covers a normal exit); it fires when the spawning *thread* ends, so
    // call startKafka from the main thread, not a Worker. util-linux (setpriv) is Essential on Debian.
    const pdeath = existsSync("/usr/bin/setpriv") ? ["/usr/bin/setpriv", "--pdeathsig", "KILL"] : [];
    proc = Bun.spawn([...pdeath, ...jvm, "kafka.Kafka", props], { stdin: "ignore", stdout: fd, stderr: fd });
    writeFileSync(pidFile, String(proc.pid)); // setpriv execs java, so this is the JVM's pid
  } finally {
    closeSync(fd); // the children hold their own copies
  }

  let exited = false;
  void proc.exited.then(() => {
    exited = true;
    process.off("exit", onParentExit);
    rmSync(pidFile, { force: true });
  });
  // Never leave an orphan JVM holding the ports when the parent goes away.
  const onParentExit = () => { if (!exited) proc.kill("SIGKILL"); };
  process.on("exit", onParentExit);

  const kill = () => { if (!exited) proc.kill("SIGKILL"); };
  const stop = async () => {
    if (exited) return;
    proc.kill("SIGTERM"); // graceful: flushes logs and writes a clean-shutdown marker
    if (await Promise.race([proc.exited.then(() => true), sleep(30_000).then(() => false)])) return;
    proc.kill("SIGKILL");
    await Promise.race([proc.exited, sleep(5_000)]);
  };

  const deadline = Date.now() + 90_000;
  while (!(await probe(brokers))) {
    if (exited) throw new Error(`kafka exited with code ${proc.exitCode} before becoming ready; log ${logFile}:\n${logExcerpt(logFile, logStart)}`);
    if (Date.now() > deadline) {
      kill();
      throw new Error(`kafka not ready on ${brokers} after 90 s; log ${logFile}:\n${logExcerpt(logFile, logStart)}`);
    }
    await sleep(250);
  }
  say(`ready on ${brokers} after ${((performance.now() - startedAt) / 1000).toFixed(1)} s`);
  return { brokers, port, controllerPort, dataDir, stop, kill, exited: proc.exited };
}

if (import.meta.main) {
  const cmd = process.argv[2];
  if (cmd === "prepare") {
    const t = performance.now();
    const cp = await prepareKafka({ log: (m) => console.error(`kafka: ${m}`) });
    console.log(`kafka jars ready (${cp.split(":").length} jars, ${Math.round(performance.now() - t)} ms)`);
  } else if (cmd === "start") {
    const port = process.env.KAFKA_PORT ? Number(process.env.KAFKA_PORT) : undefined;
    if (port !== undefined && !Number.isInteger(port)) throw new Error(`bad KAFKA_PORT: ${process.env.KAFKA_PORT}`);
    const broker = await startKafka({ port, log: (m) => console.error(`kafka: ${m}`) });
    console.log(`KAFKA_BROKERS=${broker.brokers}`);
    console.error(`kafka ready; data in ${broker.dataDir}; Ctrl-C to stop`);
    holdUntilSignal("kafka", broker, `${broker.dataDir}/broker.log`);
  } else {
    console.error("usage: npm run kafka -- start|prepare   (env KAFKA_PORT overrides port 19092)");
    process.exit(2);
  }
}
