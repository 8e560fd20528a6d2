// The benchmark's checkout ceiling replays the shop's write set on the modules' own migrated
// schemas: when a migration changes a table, this is where a stale copy of the writes shows
// (a bounded run: 300 checkouts per variant, no load generator).
import { expect, test } from "bun:test";
import { join } from "node:path";

const script = join(import.meta.dir, "..", "..", "bench", "ceiling", "sqlite-checkout.ts");

for (const variant of ["one-tx", "per-step"]) {
  test(`the ${variant} ceiling runs its checkouts on the current schemas`, async () => {
    const proc = Bun.spawn(["bun", script, "5", "300", variant], { stdout: "pipe", stderr: "pipe" });
    const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
    expect(err).toBe("");
    expect(code).toBe(0);
    const result = JSON.parse(out);
    expect(result).toMatchObject({ variant, checkouts: 300 });
    expect(result.perSecond).toBeGreaterThan(0);
  });
}
