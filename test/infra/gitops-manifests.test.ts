// The committed GitOps files under argocd/ must be exactly what the generator renders today, read
// the same under YAML 1.1 (what Kubernetes and ArgoCD parse) as under 1.2, and hang together.
import { describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT, ensureInfraDeps, importInfra } from "./support/infra-deps";

await ensureInfraDeps();
const { GITOPS_SETTINGS_FILE, parseGitOpsSettings, renderGitOpsFiles } = await importInfra<typeof import("../../infra/src/gitops-files")>("src/gitops-files");
const { findDrift } = await importInfra<typeof import("../../infra/src/gitops-drift")>("src/gitops-drift");
const { parseAllDocuments } = await importInfra<typeof import("../../infra/node_modules/yaml")>("node_modules/yaml");

const committed = parseGitOpsSettings(readFileSync(join(REPO_ROOT, GITOPS_SETTINGS_FILE), "utf8"));
const rendered = renderGitOpsFiles(committed);
const yamlFiles = [...rendered.keys()].filter((p) => p.endsWith(".yaml"));
const docs = (path: string, version: "1.1" | "1.2" = "1.2") =>
  parseAllDocuments(readFileSync(join(REPO_ROOT, path), "utf8"), { version }).map((d) => {
    if (d.errors.length) throw new Error(`${path}: ${d.errors[0]!.message}`);
    return d.toJS() as any;
  });

describe("argocd/ manifests", () => {
  test("are up to date with infra/src (regenerated in memory)", () => {
    const drift = findDrift(REPO_ROOT, rendered);
    const hint = "run `bun infra/scripts/generate-manifests.ts` and commit argocd/";
    expect({ ...drift, hint }).toEqual({ missing: [], changed: [], stale: [], hint });
  });

  test("the drift check notices a changed image tag", () => {
    const other = renderGitOpsFiles({ ...committed, imageTag: `${committed.imageTag}-other` });
    expect(findDrift(REPO_ROOT, other).changed).toContain("argocd/apps/shop/catalog.yaml");
  });

  test("the workloads are rendered for the committed database: PostgreSQL's budgets and autoscalers, or SQLite's claims", () => {
    const kinds = (database: "sqlite" | "postgres") =>
      [...new Set([...renderGitOpsFiles({ ...committed, database }).entries()]
        .filter(([p]) => p.startsWith("argocd/apps/"))
        .flatMap(([, text]) => parseAllDocuments(text).map((d) => (d.toJS() as any).kind)))].sort();
    expect(kinds("postgres")).toEqual(["Deployment", "HorizontalPodAutoscaler", "Ingress", "PodDisruptionBudget", "Service"]);
    expect(kinds("sqlite")).toEqual(["Deployment", "Ingress", "PersistentVolumeClaim", "Service"]);
    const other = renderGitOpsFiles({ ...committed, database: committed.database === "postgres" ? "sqlite" : "postgres" });
    expect(findDrift(REPO_ROOT, other).changed.sort()).toEqual(
      [GITOPS_SETTINGS_FILE, ...["cart", "catalog", "gateway", "order", "payment"].map((s) => `argocd/apps/shop/${s}.yaml`)].sort(),
    );
  });

  test("read the same under YAML 1.1 as under 1.2 (no bare yes/no/on/off)", () => {
    for (const path of yamlFiles) expect(docs(path, "1.1")).toEqual(docs(path, "1.2"));
  });

  test("app of apps: the root watches the folder holding the child Applications, which point at real folders", () => {
    const [root] = docs("argocd/root-application.yaml");
    expect(root.kind).toBe("Application");
    expect(root.spec.source.repoURL).toBe(committed.repoUrl);
    const childFiles = yamlFiles.filter((p) => p.startsWith(`${root.spec.source.path}/`));
    expect(childFiles.length).toBeGreaterThan(0);
    for (const file of childFiles) {
      for (const child of docs(file)) {
        expect(child.kind).toBe("Application");
        expect(child.spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
        expect(child.spec.source.repoURL).toBe(committed.repoUrl);
        expect(child.spec.source.targetRevision).toBe(committed.targetRevision);
        expect(existsSync(join(REPO_ROOT, child.spec.source.path))).toBe(true);
        expect(yamlFiles.some((p) => p.startsWith(`${child.spec.source.path}/`))).toBe(true);
      }
    }
  });

  test("every workload image carries the committed registry and tag", () => {
    const images = yamlFiles
      .filter((p) => p.startsWith("argocd/apps/"))
      .flatMap((p) => docs(p))
      .filter((o) => o.kind === "Deployment")
      .map((d) => d.spec.template.spec.containers[0].image);
    expect(images).toHaveLength(5);
    for (const image of images) expect(image).toMatch(new RegExp(`^${committed.imageRegistry}/bun-shop-[a-z]+:${committed.imageTag}$`));
  });

  test("no Secret is committed: the manifests only refer to it by name", () => {
    for (const path of yamlFiles) for (const doc of docs(path)) expect(doc.kind).not.toBe("Secret");
  });
});
