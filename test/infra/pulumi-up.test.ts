// `pulumi up` for real, opt-in: RUN_PULUMI_UP=1 bun test test/infra/pulumi-up.test.ts
// The Pulumi CLI and the Kubernetes provider built from the Go module proxy (`bun scripts/pulumi/tools.ts
// prepare`, ~50 min cold), driven through the Automation API with the program inline: the SDK serves
// the language runtime in this process, since the Node.js language host is not served by the proxy.
// Target: the local control plane as an existing cluster (config kubeconfig), Helm releases off (no
// chart repository is reachable), all secrets set (no random provider), state in a temporary folder.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureInfraDeps, importInfra } from "./support/infra-deps";
import { type ControlPlane, startControlPlane } from "../../scripts/kube/control-plane";
import { type KubeObject, waitFor } from "../../scripts/kube/kube-api";
import { pulumiTools, pulumiToolsAreBuilt } from "../../scripts/pulumi/tools";

const enabled = process.env.RUN_PULUMI_UP === "1";

await ensureInfraDeps();
const automation = await importInfra<typeof import("../../infra/node_modules/@pulumi/pulumi/automation")>("node_modules/@pulumi/pulumi/automation");
const { parseAllDocuments } = await importInfra<typeof import("../../infra/node_modules/yaml")>("node_modules/yaml");

const SECRETS = { tokenSecret: "u".repeat(48), demoAlicePassword: "alice-up-pw", demoBobPassword: "bob-up-pw", demoOpsPassword: "ops-up-pw" };
const DEPLOYMENTS = ["cart", "catalog", "gateway", "order", "payment"];

/** The project's program, as index.ts runs it, inline. */
async function program() {
  const { loadStackSettings } = await importInfra<typeof import("../../infra/src/stack-config")>("src/stack-config");
  const { createShopPlatform } = await importInfra<typeof import("../../infra/src/stack")>("src/stack");
  return createShopPlatform(loadStackSettings()).outputs;
}

describe.skipIf(!enabled)("pulumi up against the local control plane (RUN_PULUMI_UP=1)", () => {
  let plane: ControlPlane;
  let home: string;
  let pulumiCommand: Awaited<ReturnType<typeof automation.PulumiCommand.get>>;
  /** Everything the engine printed, across runs: must never hold a credential. */
  let printed = "";
  const timings: Record<string, number> = {};

  // ArgoCD's controller is not running: when destroy deletes the root Application, play its part of
  // removing the resources finalizer (there is nothing to cascade: nothing was synced).
  let argoCdFinalizer: Promise<void> | undefined;
  let running = true;
  async function releaseDeletedApplications() {
    while (running) {
      for (const app of await plane.api.list("argoproj.io/v1alpha1", "Application", "argocd").catch(() => [])) {
        if (app.metadata.deletionTimestamp && (app.metadata.finalizers as string[] | undefined)?.length) {
          await plane.api.request("PATCH", await plane.api.objectPath(app), JSON.stringify({ metadata: { finalizers: null } }), "application/merge-patch+json").catch(() => {});
        }
      }
      await Bun.sleep(500);
    }
  }

  beforeAll(async () => {
    if (!pulumiToolsAreBuilt()) {
      throw new Error("the Pulumi CLI and provider are not built: run `bun scripts/pulumi/tools.ts prepare` first (~50 min cold)");
    }
    plane = await startControlPlane();
    // This cluster "already runs ArgoCD" (installArgoCd=false): its namespace and Application CRD.
    await plane.api.apply({ apiVersion: "v1", kind: "Namespace", metadata: { name: "argocd" } }, "test");
    const [crd] = parseAllDocuments(plane.argoCdApplicationCrd).map((d) => d.toJS() as KubeObject);
    await plane.api.apply(crd!, "test");
    await waitFor("the Application CRD", async () => ((await plane.api.read("apiextensions.k8s.io/v1", "CustomResourceDefinition", crd!.metadata.name))?.status as any)?.acceptedNames?.kind || undefined, { timeoutMs: 60_000 });
    argoCdFinalizer = releaseDeletedApplications();
    home = mkdtempSync(join(tmpdir(), "pulumi-up-"));
    mkdirSync(join(home, "state")); // the file backend's folder must exist
    pulumiCommand = await automation.PulumiCommand.get({ root: pulumiTools().cliRoot });
  }, 300_000);

  afterAll(async () => {
    running = false;
    await argoCdFinalizer;
    await plane?.stop();
    if (home) rmSync(home, { recursive: true, force: true });
    if (Object.keys(timings).length) console.log("[pulumi-up] seconds:", JSON.stringify(timings));
  }, 120_000);

  async function stack(name: string, config: Record<string, string>) {
    const state = join(home, "state");
    const ws = await automation.LocalWorkspace.createOrSelectStack(
      { stackName: name, projectName: "bun-shop-infra", program },
      {
        pulumiCommand,
        pulumiHome: join(home, "pulumi-home"),
        projectSettings: { name: "bun-shop-infra", runtime: "nodejs", backend: { url: `file://${state}` } },
        envVars: {
          PULUMI_BACKEND_URL: `file://${state}`,
          PULUMI_CONFIG_PASSPHRASE: "pulumi-up-test",
          PULUMI_SKIP_UPDATE_CHECK: "true",
          // The provider binary on PATH is an "ambient" plugin: no download.
          PATH: `${pulumiTools().pluginDir}:${process.env.PATH}`,
        },
      },
    );
    await ws.setAllConfig({
      kubeconfig: { value: plane.kubeconfig, secret: true },
      installArgoCd: { value: "false" },
      // SQLite mode: PostgreSQL mode's operator chart is not reachable here (its objects are applied
      // for real by control-plane-apply.test.ts instead).
      database: { value: "sqlite" },
      ...Object.fromEntries(Object.entries(SECRETS).map(([k, value]) => [k, { value, secret: true }])),
      ...Object.fromEntries(Object.entries(config).map(([k, value]) => [k, { value }])),
    });
    return ws;
  }

  const onOutput = (out: string) => {
    printed += out;
  };

  async function timed<T>(label: string, run: () => Promise<T>): Promise<T> {
    const started = Date.now();
    try {
      return await run();
    } finally {
      timings[label] = Math.round((Date.now() - started) / 100) / 10;
    }
  }

  async function up(ws: Awaited<ReturnType<typeof stack>>, label: string) {
    const updated: string[] = [];
    const result = await timed(label, () =>
      ws.up({
        onOutput,
        onEvent: (event) => {
          const meta = event.resOutputsEvent?.metadata;
          if (meta && meta.op !== "same") updated.push(`${meta.op} ${meta.type} ${meta.urn.split("::").at(-1)}`);
        },
      }),
    );
    return { result, changed: updated.sort() };
  }

  const namespaceGone = (name: string) =>
    waitFor(`namespace ${name} gone`, async () => ((await plane.api.read("v1", "Namespace", name)) === undefined ? true : undefined), { timeoutMs: 180_000 });

  test("GitOps mode: up from empty state, a second up changes nothing, destroy empties the cluster", async () => {
    const ws = await stack("gitops", {});
    const first = await up(ws, "gitops: up");
    expect(first.result.summary.result).toBe("succeeded");
    const app = await plane.api.read("argoproj.io/v1alpha1", "Application", "bun-shop-root", "argocd");
    expect((app?.spec as any).source.path).toBe("argocd/applications");
    expect((await plane.api.list("apps/v1", "Deployment", "shop")).length).toBe(0); // ArgoCD's job
    expect(((await plane.api.read("batch/v1", "Job", "kafka-topics", "kafka"))?.status as any).succeeded).toBe(1);
    const secret = await plane.api.read("v1", "Secret", "shop-secrets", "shop");
    expect(Buffer.from((secret!.data as Record<string, string>).TOKEN_SECRET!, "base64").toString()).toBe(SECRETS.tokenSecret);
    expect(first.result.outputs.workloadsManagedBy!.value).toBe("argocd");
    expect(first.result.outputs.kubeconfig!.secret).toBe(true);

    await timed("gitops: preview --expect-no-changes", () => ws.preview({ expectNoChanges: true, onOutput }));
    const second = await up(ws, "gitops: second up");
    expect(second.changed).toEqual([]);

    await timed("gitops: destroy", () => ws.destroy({ onOutput }));
    await namespaceGone("shop");
    await namespaceGone("kafka");
    expect(await plane.api.read("argoproj.io/v1alpha1", "Application", "bun-shop-root", "argocd")).toBeUndefined();
  }, 900_000);

  test("direct mode: up, no diff on a second up, an image tag change updates exactly the Deployments, destroy", async () => {
    const ws = await stack("direct", { deployWorkloadsDirectly: "true", imageTag: "sha-1" });
    const first = await up(ws, "direct: up");
    expect(first.result.summary.result).toBe("succeeded");
    const deployments = await plane.api.list("apps/v1", "Deployment", "shop");
    expect(deployments.map((d) => d.metadata.name).sort()).toEqual(DEPLOYMENTS);
    for (const d of deployments) {
      expect((d.status as any).availableReplicas).toBe(1);
      expect((d.spec as any).template.spec.containers[0].image).toEndWith(`bun-shop-${d.metadata.name}:sha-1`);
    }
    expect(((await plane.api.read("networking.k8s.io/v1", "Ingress", "gateway", "shop"))?.status as any).loadBalancer.ingress).toEqual([{ hostname: "localhost" }]);

    const second = await up(ws, "direct: second up");
    expect(second.changed).toEqual([]);

    await ws.setConfig("imageTag", { value: "sha-2" });
    const retag = await up(ws, "direct: image tag change");
    expect(retag.changed).toEqual(DEPLOYMENTS.map((d) => `update kubernetes:apps/v1:Deployment shop-deployment-shop-${d}`));
    for (const d of await plane.api.list("apps/v1", "Deployment", "shop")) {
      expect((d.spec as any).template.spec.containers[0].image).toEndWith(`:sha-2`);
    }

    await timed("direct: destroy", () => ws.destroy({ onOutput }));
    await namespaceGone("shop");
    await namespaceGone("kafka");
  }, 900_000);

  test("nothing the engine printed holds a credential: the cluster token, a key, a secret value", () => {
    expect(printed.length).toBeGreaterThan(0);
    expect(printed).not.toContain(plane.token);
    expect(printed).not.toContain("BEGIN");
    expect(printed).not.toContain(Buffer.from(plane.ca).toString("base64").slice(0, 40));
    for (const value of Object.values(SECRETS)) expect(printed).not.toContain(value);
  });
});
