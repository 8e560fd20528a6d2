// compose.yaml, read as compose reads it (YAML with anchors and merge keys, ${VAR:-default} filled in with
// the defaults): what can be checked without a container engine. scripts/containers/compose-e2e.sh brings
// it up for real in CI and runs the checkout scenario through it.
import { describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { DATABASE_MODULES, loadConfig } from "../../src/platform/config";
import { REPO_ROOT } from "./support/infra-deps";
import { ensureShellcheck } from "./support/lint-tools";

type Service = {
  image?: string;
  build?: unknown;
  pull_policy?: string;
  healthcheck?: { test?: string[] | string };
  depends_on?: Record<string, { condition?: string }> | string[];
  environment?: Record<string, string | number | null>;
};
type ComposeFile = { services: Record<string, Service> };

const containers = join(REPO_ROOT, "scripts/containers");
const SERVICES = ["catalog", "cart", "order", "payment", "gateway"] as const;
const PORT = 3000;

/** compose's interpolation with an empty environment: ${VAR:-default} and ${VAR-default} take the default. */
function interpolate(value: unknown): unknown {
  if (typeof value === "string") return value.replace(/\$\{(\w+)(?::?-([^}]*))?\}/g, (_, _name, fallback) => fallback ?? "");
  if (Array.isArray(value)) return value.map(interpolate);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolate(v)]));
  return value;
}

const readCompose = (): ComposeFile => interpolate(Bun.YAML.parse(readFileSync(join(REPO_ROOT, "compose.yaml"), "utf8"))) as ComposeFile;

/** The images the build scripts tag: build-images.sh one per entrypoint, build-compose-images.sh its `build <name>` lines. */
function locallyBuiltImages(): Set<string> {
  const prefix = readFileSync(join(containers, "common.sh"), "utf8").match(/IMAGE_PREFIX="\$\{IMAGE_PREFIX:-([^}]+)\}"/)?.[1];
  const composeBuilds = [...readFileSync(join(containers, "build-compose-images.sh"), "utf8").matchAll(/^build (\w+) /gm)].map((m) => m[1]!);
  return new Set([...SERVICES, ...composeBuilds].map((name) => `${prefix}-${name}:dev`));
}

const env = (s: Service) => (Array.isArray(s.environment) ? {} : (s.environment ?? {})) as Record<string, string>;
const dependsOn = (s: Service): Record<string, { condition?: string }> =>
  Array.isArray(s.depends_on) ? Object.fromEntries(s.depends_on.map((d) => [d, {}])) : (s.depends_on ?? {});
/** The module a service runs, from its image name (order-1 and order-2 both run order). */
const moduleOf = (s: Service) => SERVICES.find((m) => s.image?.endsWith(`-${m}:dev`));

/** Everything wrong with a compose file, as sentences; [] when it is right. */
function problemsOf(compose: ComposeFile): string[] {
  const problems: string[] = [];
  const built = locallyBuiltImages();
  const services = compose.services ?? {};
  for (const [name, s] of Object.entries(services)) {
    if (!s.image || !built.has(s.image)) problems.push(`${name}: image ${s.image} is not one the build scripts make (${[...built].join(", ")})`);
    if (s.pull_policy !== "never") problems.push(`${name}: pull_policy must be never (no registry is reachable), is ${s.pull_policy}`);
    if (!s.healthcheck?.test) problems.push(`${name}: no healthcheck`);
    for (const [dep, { condition }] of Object.entries(dependsOn(s))) {
      if (!services[dep]) problems.push(`${name}: depends on ${dep}, which is not a service`);
      if (condition !== "service_healthy") problems.push(`${name}: depends on ${dep} without condition service_healthy`);
    }
  }
  const postgres = Object.entries(services).find(([, s]) => s.image?.endsWith("-postgres:dev"))?.[0];
  const kafka = Object.entries(services).find(([, s]) => s.image?.endsWith("-kafka:dev"))?.[0];
  if (!postgres || !kafka) return [...problems, "no PostgreSQL or no Kafka service"];
  const databases = String(env(services[postgres]!).POSTGRES_DATABASES ?? "").split(/\s+/);

  const replicas = (module: string) => Object.keys(services).filter((n) => moduleOf(services[n]!) === module);
  if (replicas("order").length !== 2) problems.push(`two replicas of order expected, found ${replicas("order").join(", ") || "none"}`);

  for (const [name, s] of Object.entries(services)) {
    const module = moduleOf(s);
    if (!module) continue;
    const e = env(s);
    for (const dep of [postgres, kafka]) if (!(dep in dependsOn(s))) problems.push(`${name}: does not depend on ${dep}`);
    // The gateway owns the identity database; each module service its module's.
    const db = module === "gateway" ? "identity" : module;
    const dbUrl = e[`${db.toUpperCase()}_DATABASE_URL`];
    const parsed = dbUrl ? URL.parse(dbUrl) : null;
    if (!parsed || parsed.hostname !== postgres || parsed.pathname !== `/${db}` || !databases.includes(db)) {
      problems.push(`${name}: ${db.toUpperCase()}_DATABASE_URL must name the ${db} database on ${postgres} (one of POSTGRES_DATABASES), is ${dbUrl}`);
    }
    if (e.KAFKA_BROKERS !== `${kafka}:9092`) problems.push(`${name}: KAFKA_BROKERS must be ${kafka}:9092, is ${e.KAFKA_BROKERS}`);
    // Every *_URL lists every replica of that module, and the service's configuration accepts its environment.
    for (const peer of ["catalog", "cart", "order", "payment"]) {
      const value = e[`${peer.toUpperCase()}_URL`];
      if (value === undefined) continue;
      const want = replicas(peer).map((n) => `http://${n}:${PORT}`);
      if (value.split(",").sort().join(",") !== want.sort().join(",")) problems.push(`${name}: ${peer.toUpperCase()}_URL is ${value}, should list ${want.join(",")}`);
    }
    try {
      loadConfig(e);
    } catch (error) {
      problems.push(`${name}: its environment is not a valid configuration: ${(error as Error).message}`);
    }
  }
  const gateway = Object.entries(services).find(([, s]) => moduleOf(s) === "gateway");
  if (!gateway) return [...problems, "no gateway"];
  for (const module of ["catalog", "cart", "order", "payment"]) {
    if (!env(gateway[1])[`${module.toUpperCase()}_URL`]) problems.push(`gateway: no ${module.toUpperCase()}_URL`);
    for (const n of replicas(module)) if (!(n in dependsOn(gateway[1]))) problems.push(`gateway: does not depend on ${n}`);
  }
  return problems;
}

describe("compose.yaml", () => {
  test("is complete and consistent: local images, two order replicas the gateway lists, a database per module, health-gated start", () => {
    const compose = readCompose();
    expect(problemsOf(compose)).toEqual([]);
    const gatewayEnv = env(compose.services.gateway!);
    expect(gatewayEnv.ORDER_URL).toBe("http://order-1:3000,http://order-2:3000");
    // The gateway's own configuration reads both replicas.
    expect(loadConfig(gatewayEnv as Record<string, string>).urls.order).toEqual(["http://order-1:3000", "http://order-2:3000"]);
    // One database per module plus identity, each owned by one service.
    expect(String(env(compose.services.postgres!).POSTGRES_DATABASES).split(" ").sort()).toEqual([...DATABASE_MODULES].sort());
  });

  // The checks above can fail: each mistake below, made on a copy of the real file, is named.
  const broken: [string, (c: ComposeFile) => void, RegExp][] = [
    ["an image from a registry", (c) => void (c.services.kafka!.image = "docker.io/bitnami/kafka:3.9"), /kafka: image docker\.io\/bitnami\/kafka:3\.9 is not one/],
    ["no pull_policy", (c) => void delete c.services.postgres!.pull_policy, /postgres: pull_policy must be never/],
    ["one order replica", (c) => void delete c.services["order-2"], /two replicas of order expected, found order-1$/],
    ["the gateway listing one replica", (c) => void (c.services.gateway!.environment!.ORDER_URL = "http://order-1:3000"), /gateway: ORDER_URL is http:\/\/order-1:3000, should list/],
    ["a module without its database", (c) => void delete c.services.cart!.environment!.CART_DATABASE_URL, /cart: CART_DATABASE_URL must name the cart database/],
    ["a module on another module's database", (c) => void (c.services.payment!.environment!.PAYMENT_DATABASE_URL = "postgres://shop:x@postgres:5432/order"), /payment: PAYMENT_DATABASE_URL must name/],
    ["a start not waiting for health", (c) => void ((c.services.catalog!.depends_on as Record<string, { condition?: string }>).postgres = { condition: "service_started" }), /catalog: depends on postgres without condition service_healthy/],
    ["Kafka without a healthcheck", (c) => void delete c.services.kafka!.healthcheck, /kafka: no healthcheck/],
  ];
  for (const [what, breakIt, problem] of broken) {
    test(`names ${what}`, () => {
      const compose = structuredClone(readCompose());
      breakIt(compose);
      expect(problemsOf(compose).join("\n")).toMatch(new RegExp(problem.source, "m"));
    });
  }

  test("the PostgreSQL and Kafka images build on the locally assembled base, from files that exist", () => {
    const bunVersion = readFileSync(join(REPO_ROOT, "Dockerfile"), "utf8").match(/^ARG BUN_VERSION=(\S+)$/m)?.[1];
    for (const image of ["postgres", "kafka"]) {
      const dockerfile = readFileSync(join(containers, image, "Dockerfile"), "utf8");
      // make-base-image.sh tags docker.io/oven/bun:<BUN_VERSION>; build-compose-images.sh passes it as BASE_IMAGE.
      expect(dockerfile).toContain(`ARG BASE_IMAGE=docker.io/oven/bun:${bunVersion}`);
      expect(dockerfile).toMatch(/^FROM \$\{BASE_IMAGE\}$/m);
      expect(dockerfile).toMatch(/^HEALTHCHECK /m);
      for (const [, src] of dockerfile.matchAll(/^COPY (?:--\S+ )*(\S+)\/? /gm)) {
        const path = src!.replace(/\/$/, "");
        if (path !== "jars") expect(existsSync(join(containers, image, path))).toBe(true); // jars/ is staged by the build script
      }
    }
  });

  test("the images' start scripts pass shellcheck", async () => {
    const shellcheck = await ensureShellcheck();
    const proc = Bun.spawnSync([shellcheck, join(containers, "postgres/entrypoint.sh"), join(containers, "kafka/start.sh")], { timeout: 60_000 });
    expect(proc.stdout.toString() + proc.stderr.toString()).toBe("");
    expect(proc.exitCode).toBe(0);
  }, 120_000);
});
