import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "./processes";

export const WEB_DIST = join(repoRoot, "web", "dist");

/** Newest modification time under a path (files only). */
function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** Builds web/dist when it is missing or older than its sources (bounded to 2 minutes). */
export async function ensureWebBuilt(): Promise<string> {
  const web = join(repoRoot, "web");
  const built = existsSync(join(WEB_DIST, "index.html")) ? statSync(join(WEB_DIST, "index.html")).mtimeMs : 0;
  const sources = Math.max(
    newestMtime(join(web, "src")),
    newestMtime(join(web, "index.html")),
    newestMtime(join(web, "vite.config.ts")),
    ...["order", "catalog", "payment"].map((m) => newestMtime(join(repoRoot, `src/modules/${m}/contract.ts`))), // types the dashboard reads
  );
  if (built > sources) return WEB_DIST;
  const proc = Bun.spawn([process.execPath, "x", "vite", "build", "web"], { cwd: repoRoot, stdout: "pipe", stderr: "pipe" });
  const timer = setTimeout(() => proc.kill("SIGKILL"), 120_000);
  const [code, out, err] = await Promise.all([proc.exited, new Response(proc.stdout).text(), new Response(proc.stderr).text()]);
  clearTimeout(timer);
  if (code !== 0 || !existsSync(join(WEB_DIST, "index.html"))) throw new Error(`vite build web failed (exit ${code}):\n${out}\n${err}`);
  return WEB_DIST;
}
