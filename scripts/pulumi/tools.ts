// The Pulumi CLI and its Kubernetes provider, built from the Go module proxy into .cache/pulumi/ for
// the opt-in `pulumi up` test (RUN_PULUMI_UP=1). Neither Pulumi's download site nor GitHub releases
// are reachable from CI's sandbox; the Node.js language host and the command and random providers are
// not served by the proxy at all, so the test drives an inline program through the Automation API.
//   bun scripts/pulumi/tools.ts prepare     # ~50 min cold on 2 cores
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { type GoBuild, cachedPaths, ensureGoBuild, isBuilt } from "../go-build";

export const PULUMI_VERSION = "v3.274.1";

export const pulumiCliBuild: GoBuild = {
  cacheKey: `pulumi/cli-${PULUMI_VERSION}`,
  module: "github.com/pulumi/pulumi/pkg/v3",
  version: PULUMI_VERSION,
  // bin/: the layout the Automation API's PulumiCommand.get({ root }) expects.
  binaries: { "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi": "bin/pulumi" },
  // The two replaces of pkg/v3's own go.mod (its sdk is a sibling folder there).
  replaces: {
    "github.com/pulumi/pulumi/sdk/v3": `github.com/pulumi/pulumi/sdk/v3 ${PULUMI_VERSION}`,
    "github.com/atotto/clipboard": "github.com/tgummerer/clipboard v0.0.0-20241001131231-d02d263e614e",
  },
  ldflags: [`-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=${PULUMI_VERSION}`],
  env: { CGO_ENABLED: "0" },
};

// The provider module has no tags of its own (the repository tags its root): the proxy serves
// pseudo-versions of it. This one is the newest it serves.
const PROVIDER_MODULE = "github.com/pulumi/pulumi-kubernetes/provider/v4";
export const KUBERNETES_PROVIDER_VERSION = "v4.0.0-20260115033456-f47bc2d6f199";
/** The version the provider reports: the pseudo-version it is built from, not a release's. */
const KUBERNETES_PROVIDER_PLUGIN_VERSION = KUBERNETES_PROVIDER_VERSION.slice(1);

export const kubernetesProviderBuild: GoBuild = {
  cacheKey: `pulumi/kubernetes-provider-${KUBERNETES_PROVIDER_VERSION}`,
  module: PROVIDER_MODULE,
  version: KUBERNETES_PROVIDER_VERSION,
  binaries: { [`${PROVIDER_MODULE}/cmd/pulumi-resource-kubernetes`]: "pulumi-resource-kubernetes" },
  replaces: {
    // As in its go.mod, where ../sdk is the same commit; the newest published SDK module instead.
    "github.com/pulumi/pulumi-kubernetes/sdk/v4": "github.com/pulumi/pulumi-kubernetes/sdk/v4 v4.32.0",
    [PROVIDER_MODULE]: "./provider",
  },
  ldflags: [`-X ${PROVIDER_MODULE}/pkg/version.Version=${KUBERNETES_PROVIDER_PLUGIN_VERSION}`],
  env: { CGO_ENABLED: "0" },
  // The provider embeds its schema from a file `go generate` writes (not in the module's zip): a
  // writable copy of the module with that file, as generate.go writes it (the schema with its version).
  async prepare(work, go) {
    const { Dir } = JSON.parse(await go(["mod", "download", "-json", `${PROVIDER_MODULE}@${KUBERNETES_PROVIDER_VERSION}`], work)) as { Dir: string };
    const copy = join(work, "provider");
    cpSync(Dir, copy, { recursive: true });
    const cmd = join(copy, "cmd", "pulumi-resource-kubernetes");
    const schema = JSON.parse(readFileSync(join(cmd, "schema.json"), "utf8"));
    writeFileSync(join(cmd, "schema-embed.json"), JSON.stringify({ ...schema, version: KUBERNETES_PROVIDER_PLUGIN_VERSION }));
    writeFileSync(join(cmd, "terraform-mapping-embed.json"), JSON.stringify(JSON.parse(readFileSync(join(cmd, "terraform-mapping.json"), "utf8"))));
    // The copy keeps the module cache's read-only modes; go.mod must be writable for -mod=mod.
    Bun.spawnSync(["chmod", "-R", "u+w", copy]);
  },
};

export const PULUMI_BUILDS = [pulumiCliBuild, kubernetesProviderBuild];

export const pulumiToolsAreBuilt = () => PULUMI_BUILDS.every(isBuilt);

/**
 * The CLI, and the folder holding the provider: on PATH it is an "ambient" plugin, which the engine
 * uses whatever version the SDK asks for (4.34.2 for @pulumi/kubernetes 4.34.2).
 */
export function pulumiTools() {
  const provider = cachedPaths(kubernetesProviderBuild)["pulumi-resource-kubernetes"]!;
  const cli = cachedPaths(pulumiCliBuild)["bin/pulumi"]!;
  return { pulumi: cli, cliRoot: dirname(dirname(cli)), pluginDir: dirname(provider) };
}

export async function preparePulumiTools(): Promise<void> {
  for (const build of PULUMI_BUILDS) await ensureGoBuild(build);
}

if (import.meta.main) {
  if (process.argv[2] !== "prepare") {
    console.error("usage: bun scripts/pulumi/tools.ts prepare");
    process.exit(2);
  }
  await preparePulumiTools();
  console.log(`[pulumi-tools] built: ${Object.values(pulumiTools()).join(", ")}`);
}
