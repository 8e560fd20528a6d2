// Compares rendered GitOps files with what is on disk: missing, changed, and stale generated files
// (a YAML file under a generated folder that the generator no longer produces).
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

export const GENERATED_FOLDERS = ["argocd/applications", "argocd/apps/shop"];

export interface Drift {
  missing: string[];
  changed: string[];
  stale: string[];
}

export function findDrift(repoRoot: string, rendered: Map<string, string>): Drift {
  const drift: Drift = { missing: [], changed: [], stale: [] };
  for (const [path, content] of rendered) {
    const onDisk = join(repoRoot, path);
    if (!existsSync(onDisk)) drift.missing.push(path);
    else if (readFileSync(onDisk, "utf8") !== content) drift.changed.push(path);
  }
  for (const folder of GENERATED_FOLDERS) {
    const dir = join(repoRoot, folder);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir)) {
      const path = `${folder}/${name}`;
      if (/\.ya?ml$/.test(name) && !rendered.has(path)) drift.stale.push(path);
    }
  }
  return drift;
}

export function hasDrift(drift: Drift): boolean {
  return drift.missing.length + drift.changed.length + drift.stale.length > 0;
}
