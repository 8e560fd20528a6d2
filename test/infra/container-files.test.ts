// The Dockerfile and the local image scripts: what can be checked without a container engine.
// (scripts/containers/build-images.sh builds and runs the images for real; see infra/README.md.)
import { beforeAll, describe, expect, test } from "bun:test";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "./support/infra-deps";
import { ensureShellcheck } from "./support/lint-tools";

const dockerfile = readFileSync(join(REPO_ROOT, "Dockerfile"), "utf8");
const scriptsDir = join(REPO_ROOT, "scripts/containers");

describe("Dockerfile", () => {
  test("multi-stage from oven/bun, with the Bun version the project pins", () => {
    const version = dockerfile.match(/^ARG BUN_VERSION=(\S+)$/m)?.[1];
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8"));
    expect(version).toBe(pkg.packageManager.replace("bun@", ""));
    const froms = [...dockerfile.matchAll(/^FROM (\S+)/gm)].map((m) => m[1]);
    expect(froms).toEqual(["oven/bun:${BUN_VERSION}", "deps", "oven/bun:${BUN_VERSION}-slim"]);
  });

  test("runs the bundle as a non-root user under tini, with a HEALTHCHECK on /health/live", () => {
    const runtime = dockerfile.slice(dockerfile.lastIndexOf("FROM "));
    expect(runtime).toMatch(/^USER 1000:1000$/m);
    expect(runtime).toContain('ENTRYPOINT ["/usr/bin/tini", "--"]');
    expect(runtime).toMatch(/^HEALTHCHECK [^]*\/health\/live/m);
    expect(runtime).toMatch(/^EXPOSE 3000$/m);
    expect(runtime).toContain("MIGRATIONS_ROOT=/app/migrations");
    expect(runtime).not.toMatch(/^COPY (?!--from=build)/m); // only build outputs reach the runtime image
  });

  test("MODULE accepts every service and all, and nothing else", () => {
    const accepted = dockerfile.match(/^\s+(catalog\|[^)]+)\)/m)?.[1]?.split("|");
    expect(accepted).toEqual(["catalog", "cart", "order", "payment", "gateway", "all"]);
  });

  test(".dockerignore keeps secrets, data and heavy folders out of the build context", () => {
    const ignored = readFileSync(join(REPO_ROOT, ".dockerignore"), "utf8").split("\n");
    for (const entry of [".git", "**/node_modules", ".cache", "data", "*.sqlite", "infra", "test"]) {
      expect(ignored).toContain(entry);
    }
  });
});

describe("scripts/containers", () => {
  let shellcheck: string;
  beforeAll(async () => {
    shellcheck = await ensureShellcheck();
  }, 180_000);

  test("shellcheck finds no problem", () => {
    const scripts = readdirSync(scriptsDir).filter((f) => f.endsWith(".sh")).map((f) => join(scriptsDir, f));
    expect(scripts.length).toBeGreaterThan(2);
    const proc = Bun.spawnSync([shellcheck, "-x", "-P", scriptsDir, ...scripts], { timeout: 60_000 });
    expect(proc.stdout.toString() + proc.stderr.toString()).toBe("");
    expect(proc.exitCode).toBe(0);
  });

  test("podman config: runc and the ulimits this machine allows", () => {
    const conf = readFileSync(join(scriptsDir, "containers.conf"), "utf8");
    expect(conf).toMatch(/^runtime = "runc"$/m);
    expect(conf).toContain('"nofile=1024:1024"');
    expect(conf).toContain('"nproc=1000:1000"');
  });

  test("the local base image carries the names the Dockerfile's FROM lines use", () => {
    const common = readFileSync(join(scriptsDir, "common.sh"), "utf8");
    expect(common).toContain('BASE_IMAGE="docker.io/oven/bun:$BUN_VERSION"');
    expect(common).toContain('SLIM_IMAGE="docker.io/oven/bun:$BUN_VERSION-slim"');
    expect(common).toContain("sed -n 's/^ARG BUN_VERSION=//p'");
  });
});
