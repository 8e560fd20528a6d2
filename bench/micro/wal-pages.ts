// Which tables and indexes the checkout's commits write: runs the checkout workload against the
// all-in-one shop with strace recording the WAL frame headers it writes, then names each frame's
// page through SQLite's dbstat. Fewer pages per checkout is what makes a commit cheaper.
//   bun bench/micro/wal-pages.ts [--seconds N] [--connections N]   (needs strace; loopback, wrk, bounded)
import { Database } from "bun:sqlite";
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "../../test/support/processes";
import { parseArgs } from "../lib/args";
import { prepareShop } from "../lib/prepare";
import { startInstrumentedShop } from "../lib/shops";
import { checkoutWorkload } from "../lib/workloads";

const args = { ...parseArgs(process.argv.slice(2)), warmupSeconds: 0 };
const traceFile = join(tempDir("bench-wal-pages-"), "strace.txt");
const shop = await startInstrumentedShop([]);
const { url, proc } = shop;
try {
  const runId = Date.now().toString(36);
  const prepared = await prepareShop(url, { customers: args.connections, runId });
  await Bun.sleep(500); // the preparation's events drained
  // fd -> WAL file of each module
  const fdFile = new Map<number, string>();
  for (const fd of readdirSync(`/proc/${proc.pid}/fd`)) {
    try {
      const target = readlinkSync(`/proc/${proc.pid}/fd/${fd}`);
      if (target.endsWith(".sqlite-wal")) fdFile.set(Number(fd), target.slice(0, -4));
    } catch {}
  }
  const strace = Bun.spawn(["strace", "-f", "-x", "-s", "8", "-e", "trace=pwrite64", "-o", traceFile, "-p", String(proc.pid)], { stderr: "ignore" });
  await Bun.sleep(1000);
  const result = await checkoutWorkload(url, prepared.customerLines, [proc.pid], args, runId);
  strace.kill("SIGINT");
  await strace.exited;
  // pwrite64(fd, "\x00\x00\x01\x02\x00\x00\x00\x00"..., 24, off) = 24: a frame header (page no, commit size)
  const re = /pwrite64\((\d+), "((?:\\x[0-9a-f]{2}){8})"(?:\.\.\.)?, 24, \d+\)/;
  const frames = new Map<string, number[]>();
  let commits = 0;
  for (const line of readFileSync(traceFile, "utf8").split("\n")) {
    const m = re.exec(line);
    if (!m) continue;
    const file = fdFile.get(Number(m[1]));
    if (!file) continue;
    const bytes = m[2]!.split("\\x").slice(1).map((h) => parseInt(h, 16));
    const page = (bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!;
    if ((bytes[4]! | bytes[5]! | bytes[6]! | bytes[7]!) !== 0) commits++;
    frames.set(file, [...(frames.get(file) ?? []), page]);
  }
  const paid = result.paid;
  let total = 0;
  const rows: Array<[string, number]> = [];
  for (const [file, pages] of frames) {
    const db = new Database(file, { readonly: true });
    const owner = new Map<number, string>();
    for (const r of db.query("SELECT name, pageno FROM dbstat").all() as Array<{ name: string; pageno: number }>) owner.set(r.pageno, r.name);
    db.close();
    const byName = new Map<string, number>();
    for (const p of pages) byName.set(owner.get(p) ?? "(free or new)", (byName.get(owner.get(p) ?? "(free or new)") ?? 0) + 1);
    for (const [name, n] of byName) rows.push([`${file.split("/").pop()!.replace(".sqlite", "")}: ${name}`, n]);
    total += pages.length;
  }
  console.log(`${result.ordersPerSecond.toFixed(0)} checkouts/s under strace; ${paid} paid; ${commits} commits (${(commits / paid).toFixed(2)} per checkout)`);
  console.log(`WAL frames per checkout: ${(total / paid).toFixed(1)}\n  per checkout  table or index`);
  for (const [name, n] of rows.sort((a, b) => b[1] - a[1])) console.log(`${(n / paid).toFixed(2).padStart(14)}  ${name}`);
} finally {
  await shop.stop();
  Bun.spawnSync(["rm", "-rf", join(traceFile, "..")]);
}
