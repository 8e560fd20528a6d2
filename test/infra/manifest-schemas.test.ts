// Offline schema validation of every manifest this repository produces (GitOps files, which are
// PostgreSQL mode's, the same workloads rendered for SQLite, and Kafka):
// 1. kubernetes-models (npm) and @kubernetes-models/argo-cd: the Kubernetes OpenAPI schemas and
//    ArgoCD's Application CRD schema, compiled into the packages, checked in-process.
// 2. kubernetes-validate (PyPI) --strict: the JSON schemas it ships for each Kubernetes version,
//    with unknown fields rejected, so a typo such as `livenessProb` fails too. (kubeconform would
//    fetch its schemas from GitHub at run time, which this machine cannot reach.)
// 3. The shop's CloudNativePG Cluster and Databases (applied by Pulumi, not in argocd/) against the
//    openAPIV3Schema of the operator's own CRDs (from its Go module, as the control plane gets them),
//    with ajv, unknown fields rejected as --strict does.
import { beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO_ROOT, ensureInfraDeps, importInfra } from "./support/infra-deps";
import { ensureKubernetesValidate } from "./support/lint-tools";
import { ensureGoBuild } from "../../scripts/go-build";
import { cloudNativePgCrdsBuild } from "../../scripts/kube/binaries";

await ensureInfraDeps();
const { GITOPS_SETTINGS_FILE, parseGitOpsSettings, renderGitOpsFiles, toYamlDocuments, workloadSettingsFor } = await importInfra<typeof import("../../infra/src/gitops-files")>("src/gitops-files");
const { buildWorkloadManifests } = await importInfra<typeof import("../../infra/src/workloads")>("src/workloads");
const { buildKafkaManifests } = await importInfra<typeof import("../../infra/src/kafka")>("src/kafka");
const { defaultClusterSettings, defaultKafkaSettings } = await importInfra<typeof import("../../infra/src/settings")>("src/settings");
const { buildPostgresCluster, buildPostgresDatabases } = await importInfra<typeof import("../../infra/src/postgres")>("src/postgres");
const { default: Ajv } = await importInfra<typeof import("../../infra/node_modules/ajv")>("node_modules/ajv");
const { parseAllDocuments } = await importInfra<typeof import("../../infra/node_modules/yaml")>("node_modules/yaml");

const committed = parseGitOpsSettings(readFileSync(join(REPO_ROOT, GITOPS_SETTINGS_FILE), "utf8"));
const gitopsYaml = [...renderGitOpsFiles(committed).keys()].filter((p) => p.endsWith(".yaml"));
const objectsOf = (path: string) =>
  parseAllDocuments(readFileSync(join(REPO_ROOT, path), "utf8")).map((d) => d.toJS() as any);

// argocd/ holds one engine's workloads; the other's differ in kind (claims, or budgets and autoscalers).
const otherEngine = committed.database === "postgres" ? "sqlite" : "postgres";
const otherWorkloads = buildWorkloadManifests(workloadSettingsFor({ ...committed, database: otherEngine }));

const allObjects = [
  ...gitopsYaml.flatMap((path) => objectsOf(path).map((object) => ({ source: path, object }))),
  ...otherWorkloads.map((object) => ({ source: `workloads (${otherEngine})`, object: object as any })),
  ...buildKafkaManifests(defaultKafkaSettings()).map((object) => ({ source: "kafka", object: object as any })),
];

/** kubernetes-models lays its classes out as <group>/<version>/<Kind>; the core group is plain v1. */
async function modelFor(apiVersion: string, kind: string): Promise<new (data: any) => { validate(): void }> {
  const pkg = apiVersion.startsWith("argoproj.io/") ? "@kubernetes-models/argo-cd" : "kubernetes-models";
  const module = await importInfra<Record<string, any>>(`node_modules/${pkg}/${apiVersion}/${kind}`);
  return module[kind];
}

// Kubernetes version of the kind node image: the schemas to validate against.
const kubernetesVersion = defaultClusterSettings().nodeImage.replace(/^.*:v(\d+\.\d+)\..*$/, "$1.0");

describe("manifests against schemas (offline)", () => {
  test("there is something to validate", () => {
    const kinds = new Set(allObjects.map(({ object }) => object.kind));
    for (const kind of ["Deployment", "Service", "PersistentVolumeClaim", "Ingress", "Application", "StatefulSet", "Job", "PodDisruptionBudget", "HorizontalPodAutoscaler"]) {
      expect(kinds).toContain(kind);
    }
  });

  test("kubernetes-models and @kubernetes-models/argo-cd accept every object", async () => {
    const failures: string[] = [];
    for (const { source, object } of allObjects) {
      const Model = await modelFor(object.apiVersion, object.kind);
      try {
        new Model(object).validate();
      } catch (error) {
        failures.push(`${source} ${object.kind}/${object.metadata.name}: ${error}`);
      }
    }
    expect(failures).toEqual([]);
  });

  test("…and reject a broken Deployment and a broken Application (the check can fail)", async () => {
    const deployment = structuredClone(allObjects.find(({ object }) => object.kind === "Deployment")!.object);
    deployment.spec.replicas = "one";
    const Deployment = await modelFor("apps/v1", "Deployment");
    expect(() => new Deployment(deployment).validate()).toThrow(/replicas must be integer/);
    const app = structuredClone(allObjects.find(({ object }) => object.kind === "Application")!.object);
    app.spec.syncPolicy.automated.prune = "yes";
    const Application = await modelFor("argoproj.io/v1alpha1", "Application");
    expect(() => new Application(app).validate()).toThrow(/prune must be boolean/);
    const hpa = structuredClone(allObjects.find(({ object }) => object.kind === "HorizontalPodAutoscaler")!.object);
    hpa.spec.metrics[0].resource.target.averageUtilization = "70%";
    const HorizontalPodAutoscaler = await modelFor("autoscaling/v2", "HorizontalPodAutoscaler");
    expect(() => new HorizontalPodAutoscaler(hpa).validate()).toThrow(/averageUtilization must be integer/);
  });

  describe(`kubernetes-validate --strict, Kubernetes ${kubernetesVersion}`, () => {
    let validator: string;
    let dir: string;
    beforeAll(async () => {
      validator = await ensureKubernetesValidate();
      dir = mkdtempSync(join(tmpdir(), "manifests-"));
    }, 180_000);

    const run = (files: string[]) => {
      const proc = Bun.spawnSync([validator, "--strict", "-k", kubernetesVersion, "--no-warn", ...files], { timeout: 120_000 });
      return { code: proc.exitCode, out: proc.stdout.toString() + proc.stderr.toString() };
    };

    test("every built-in kind passes, unknown fields rejected", () => {
      const kafkaFile = join(dir, "kafka.yaml");
      writeFileSync(kafkaFile, toYamlDocuments(buildKafkaManifests(defaultKafkaSettings())));
      const otherFile = join(dir, `workloads-${otherEngine}.yaml`);
      writeFileSync(otherFile, toYamlDocuments(otherWorkloads));
      // Applications are CRDs this tool has no schema for; kubernetes-models covers them above.
      const files = [...gitopsYaml.filter((p) => p.startsWith("argocd/apps/")).map((p) => join(REPO_ROOT, p)), kafkaFile, otherFile];
      const { code, out } = run(files);
      expect(out).not.toContain("ERROR");
      expect(code).toBe(0);
      expect(out.match(/passed for resource/g)?.length).toBe(allObjects.filter(({ object }) => object.kind !== "Application").length);
    });

    test("a misspelt field fails (the check can fail)", () => {
      const bad = join(dir, "bad.yaml");
      writeFileSync(bad, readFileSync(join(REPO_ROOT, "argocd/apps/shop/cart.yaml"), "utf8").replace("livenessProbe:", "livenessProb:"));
      const { code, out } = run([bad]);
      expect(code).not.toBe(0);
      expect(out).toContain("'livenessProb' was unexpected");
    });

    test("a misspelt autoscaler or budget field fails too", () => {
      const bad = join(dir, "bad-scaling.yaml");
      const cart = readFileSync(join(REPO_ROOT, "argocd/apps/shop/cart.yaml"), "utf8");
      expect(cart).toContain("minReplicas:");
      expect(cart).toContain("maxUnavailable: 1");
      writeFileSync(bad, cart.replace("minReplicas:", "minReplica:").replace("maxUnavailable: 1", "maxUnavailabel: 1"));
      const { code, out } = run([bad]);
      expect(code).not.toBe(0);
      expect(out).toContain("'minReplica' was unexpected");
      expect(out).toContain("'maxUnavailabel' was unexpected");
    });
  });
});

/**
 * A CRD's structural schema as ajv takes it: objects with declared properties refuse others
 * (the API server would prune them silently; a typo should fail here), except where the CRD keeps
 * unknown fields. Kubernetes' own x-kubernetes-* keywords are left to the server.
 */
function strictSchema(schema: any): any {
  if (Array.isArray(schema)) return schema.map(strictSchema);
  if (!schema || typeof schema !== "object") return schema;
  const out: any = Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, k === "properties" ? Object.fromEntries(Object.entries(v as object).map(([p, sub]) => [p, strictSchema(sub)])) : strictSchema(v)]));
  if (schema.type === "object" && schema.properties && !schema["x-kubernetes-preserve-unknown-fields"] && schema.additionalProperties === undefined) {
    out.additionalProperties = false;
  }
  return out;
}

describe("the shop's PostgreSQL against CloudNativePG's CRDs (offline)", () => {
  const workloads = workloadSettingsFor({ ...committed, database: "postgres" });
  const objects = [buildPostgresCluster(workloads), ...buildPostgresDatabases(workloads)] as any[];
  let validators: Map<string, (object: unknown) => string[]>;
  beforeAll(async () => {
    const files = Object.values(await ensureGoBuild(cloudNativePgCrdsBuild));
    // OpenAPI's formats (int32, int64, ...) are not JSON Schema's: ajv would warn on each and skip it.
    const ajv = new Ajv({ strict: false, allErrors: true, logger: false });
    validators = new Map();
    for (const file of files) {
      const crd = parseAllDocuments(readFileSync(file, "utf8"))[0]!.toJS() as any;
      const version = crd.spec.versions.find((v: any) => v.name === "v1");
      const check = ajv.compile(strictSchema(version.schema.openAPIV3Schema));
      validators.set(crd.spec.names.kind, (object) => (check(object) ? [] : check.errors!.map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`)));
    }
  }, 120_000);

  test("the Cluster and each module's Database pass their CRD's schema", () => {
    expect(objects.map((o) => o.kind).sort()).toEqual(["Cluster", "Database", "Database", "Database", "Database", "Database"]);
    for (const object of objects) expect({ name: object.metadata.name, errors: validators.get(object.kind)!(object) }).toEqual({ name: object.metadata.name, errors: [] });
  });

  test("…and a wrong type, a misspelt field and a missing owner fail (the check can fail)", () => {
    const cluster = structuredClone(objects[0]);
    cluster.spec.instances = "two";
    cluster.spec.bootstrap.initdb.ownr = "shop";
    const errors = validators.get("Cluster")!(cluster).join("\n");
    expect(errors).toContain("/spec/instances must be integer");
    expect(errors).toContain('"additionalProperty":"ownr"');
    const { owner: _, ...withoutOwner } = objects[1].spec;
    expect(validators.get("Database")!({ ...objects[1], spec: withoutOwner }).join("\n")).toContain("must have required property 'owner'");
  });
});
