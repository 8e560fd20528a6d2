// Writes the GitOps manifests under argocd/ from infra/src/ (the same builders Pulumi uses).
//   bun infra/scripts/generate-manifests.ts                         # regenerate with the committed settings
//   bun infra/scripts/generate-manifests.ts --image-tag <sha> \
//       --image-registry ghcr.io/<owner> --repo-url <url>           # what CI runs after pushing images
//   bun infra/scripts/generate-manifests.ts --database sqlite        # render for the other engine
//   bun infra/scripts/generate-manifests.ts --check                 # exit 1 when argocd/ is out of date
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { GITOPS_SETTINGS_FILE, type GitOpsSettings, parseGitOpsSettings, renderGitOpsFiles } from "../src/gitops-files";
import { findDrift, hasDrift } from "../src/gitops-drift";
import { defaultArgoSettings, defaultWorkloadSettings } from "../src/settings";

const repoRoot = resolve(import.meta.dir, "../..");

const { values } = parseArgs({
  options: {
    "image-tag": { type: "string" },
    "image-registry": { type: "string" },
    "repo-url": { type: "string" },
    "target-revision": { type: "string" },
    database: { type: "string" },
    check: { type: "boolean", default: false },
  },
});

function committedSettings(): GitOpsSettings {
  const file = join(repoRoot, GITOPS_SETTINGS_FILE);
  if (existsSync(file)) return parseGitOpsSettings(readFileSync(file, "utf8"));
  const workloads = defaultWorkloadSettings();
  const argo = defaultArgoSettings();
  return { imageRegistry: workloads.imageRegistry, imageTag: workloads.imageTag, repoUrl: argo.repoUrl, targetRevision: argo.targetRevision, database: workloads.database };
}

const base = committedSettings();
const settings: GitOpsSettings = {
  // Registries are lower-case only (a GitHub owner may not be).
  imageRegistry: (values["image-registry"] ?? base.imageRegistry).toLowerCase(),
  imageTag: values["image-tag"] ?? base.imageTag,
  repoUrl: values["repo-url"] ?? base.repoUrl,
  targetRevision: values["target-revision"] ?? base.targetRevision,
  database: (values.database ?? base.database) as GitOpsSettings["database"],
};
parseGitOpsSettings(JSON.stringify(settings)); // an unknown --database stops here
if (!/^[\w][\w.-]{0,127}$/.test(settings.imageTag)) {
  console.error(`--image-tag: not a valid image tag: "${settings.imageTag}"`);
  process.exit(2);
}

const rendered = renderGitOpsFiles(settings);
const drift = findDrift(repoRoot, rendered);

if (values.check) {
  if (!hasDrift(drift)) {
    console.log("argocd/ is up to date");
    process.exit(0);
  }
  for (const [kind, paths] of Object.entries(drift)) for (const p of paths as string[]) console.error(`${kind}: ${p}`);
  console.error("argocd/ is out of date: run `bun infra/scripts/generate-manifests.ts` and commit the result");
  process.exit(1);
}

for (const path of drift.stale) rmSync(join(repoRoot, path));
for (const [path, content] of rendered) {
  const target = join(repoRoot, path);
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, content);
}
const touched = drift.missing.length + drift.changed.length + drift.stale.length;
console.log(`argocd/: ${rendered.size} files, ${touched} changed (image tag ${settings.imageTag})`);
