// An answered write survives an OS crash or a power cut, not only a process crash: no answer leaves
// the shop before the WAL frames of the writes before it are synced to disk. A group commit's batch
// is synced inside its COMMIT or, while the process is busy, by its WalSync on Bun's thread pool
// after it (SQLITE_COMMIT_SYNC, group-commit.ts); a write outside a group commit syncs inside its
// own COMMIT (synchronous=FULL, each connection's default). A power cut cannot be simulated here,
// so the first tests watch the syscalls themselves: strace records every WAL write, every sync and
// every HTTP answer of a real all-in-one shop through a whole customer's and operator's flow, with
// the sync in each place, and each answer must come after a sync of every WAL written before it.
import { afterAll, expect, test } from "bun:test";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { openIdentityDatabase } from "../../src/platform/auth/identity-database";
import { openModuleDatabase } from "../../src/platform/db/open-database";
import * as cart from "../../src/modules/cart/schema";
import * as catalog from "../../src/modules/catalog/schema";
import * as order from "../../src/modules/order/schema";
import * as payment from "../../src/modules/payment/schema";
import { ClientAt, freshAddress } from "../support/client-at-address";
import { Api, DEMO } from "../support/http-client";
import { startEntrypoint, tempDir } from "../support/processes";
import { CARDS } from "../support/shop";

const dir = tempDir("shop-durability-");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const FULL = 2; // PRAGMA synchronous: 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA
const DATABASES = ["identity", "catalog", "cart", "order", "payment"];

/** Where an answer left before a WAL written before it was synced. */
interface Unsynced {
  requestId: string;
  wal: string;
}

/**
 * Reads an `strace -f -y` log in order. A sync covers the WAL writes that started before it
 * started, and counts from the moment it returned (its `resumed` line when another thread's line
 * came between). An answer counts from the moment it started to be sent.
 */
function unsyncedAnswers(log: string, requestIds: string[]): { unsynced: Unsynced[]; answered: string[]; walsWritten: string[] } {
  const lastWrite = new Map<string, number>();
  const covered = new Map<string, number>();
  const syncing = new Map<string, { wal: string; startedAt: number }>(); // by thread id
  const unsynced: Unsynced[] = [];
  const answered: string[] = [];
  const lines = log.split("\n");
  const synced = (wal: string, startedAt: number) => covered.set(wal, Math.max(covered.get(wal) ?? -1, startedAt));
  lines.forEach((line, at) => {
    const write = /^\d+ +pwrite64\(\d+<([^>]+-wal)>/.exec(line);
    if (write) return void lastWrite.set(write[1]!, at);
    const sync = /^(\d+) +f(?:data)?sync\(\d+<([^>]+-wal)>\)?(.*)$/.exec(line);
    if (sync) {
      if (sync[3]!.includes("<unfinished")) syncing.set(sync[1]!, { wal: sync[2]!, startedAt: at });
      else if (/= 0$/.test(sync[3]!)) synced(sync[2]!, at);
      return;
    }
    const resumed = /^(\d+) +<\.\.\. f(?:data)?sync resumed>\) += 0$/.exec(line);
    if (resumed) {
      const started = syncing.get(resumed[1]!);
      syncing.delete(resumed[1]!);
      if (started) synced(started.wal, started.startedAt);
      return;
    }
    const answer = /^\d+ +(?:sendto|sendmsg|write|writev)\(.*"HTTP\/1\.1 .*x-request-id: ([\w-]+)/.exec(line);
    if (!answer || !requestIds.includes(answer[1]!)) return;
    answered.push(answer[1]!);
    for (const [wal, writtenAt] of lastWrite) if ((covered.get(wal) ?? -1) <= writtenAt) unsynced.push({ requestId: answer[1]!, wal });
  });
  return { unsynced, answered, walsWritten: [...lastWrite.keys()].map((p) => p.split("/").pop()!).sort() };
}

test.each(["thread-pool", "in-commit"])(
  "no answer leaves before the WAL frames of the writes before it are on disk (strace, SQLITE_COMMIT_SYNC=%s)",
  async (commitSync) => {
    const traceFile = join(dir, `strace-${commitSync}.log`);
    // --seccomp-bpf stops the process only at the traced calls: the shop starts in about a second.
    const strace = ["strace", "-f", "--seccomp-bpf", "-y", "-s", "2000", "-o", traceFile, "-e", "trace=pwrite64,fsync,fdatasync,sendto,sendmsg,write,writev"];
    const shop = await startEntrypoint("all.ts", { SQLITE_COMMIT_SYNC: commitSync }, { dataDir: join(dir, `traced-${commitSync}`), wrapWith: strace, readyTimeoutMs: 60_000 });
    const ids: string[] = [];
    const tagged = () => {
      ids.push(`durable-${ids.length + 1}`);
      return { "x-request-id": ids.at(-1)! };
    };
    try {
      const username = `durable_${crypto.randomUUID().slice(0, 8)}`;
      const registered = await new ClientAt(shop.url, freshAddress()).post("/api/auth/register", { username, password: "correct-horse-battery" }, tagged());
      expect(registered.status).toBe(201);
      // Each step alone, after the last one's events have been handled: every write before an
      // answer is that request's or its events', and every one of them must be on disk first.
      const settle = () => Bun.sleep(300);
      const anon = new Api(shop.url);
      const signedIn = await anon.post("/api/auth/token", { username, password: "correct-horse-battery" }, tagged());
      expect(signedIn.status).toBe(200);
      const customer = anon.as(signedIn.body.token);
      const ops = anon.as((await anon.post("/api/auth/token", { username: "ops", password: DEMO.ops }, tagged())).body.token);
      await settle();
      const product = await ops.post("/api/products", { name: "Durable mug", category: "test", priceCents: 1500, currency: "EUR", stock: 10 }, tagged());
      expect(product.status).toBe(201);
      await settle();
      for (const quantity of [1, 2]) {
        expect((await customer.post("/api/cart/items", { productId: product.body.id, quantity }, tagged())).status).toBe(201);
        await settle();
      }
      const placed = await customer.post("/api/orders", { cardNumber: CARDS.ok }, { ...tagged(), "idempotency-key": crypto.randomUUID() });
      expect(placed.status).toBe(201);
      await settle();
      expect((await ops.patch(`/api/orders/${placed.body.id}/status`, { status: "SHIPPED" }, tagged())).status).toBe(200);
      await settle();
      expect((await customer.post("/api/auth/logout", undefined, tagged())).status).toBeLessThan(300);
      await settle();
    } finally {
      // The shop is strace's child: end it, then strace writes the rest of its log and exits.
      const children = readFileSync(`/proc/${shop.proc.pid}/task/${shop.proc.pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean);
      for (const pid of children) process.kill(Number(pid), "SIGTERM");
      await shop.proc.exited;
    }
    const log = readFileSync(traceFile, "utf8");
    const { unsynced, answered, walsWritten } = unsyncedAnswers(log, ids);
    // The WalSync syncs with fdatasync; this build's SQLite syncs with fsync: the pool did the work.
    if (commitSync === "thread-pool") expect(log).toMatch(/fdatasync\(\d+<[^>]+-wal>/);
    expect(answered).toEqual(ids); // every answer was seen, in order: the test cannot pass by reading nothing
    expect(walsWritten).toEqual(DATABASES.map((d) => `${d}.sqlite-wal`).sort());
    expect(unsynced).toEqual([]);
  },
  120_000,
);

test("every module's SQLite database is in WAL mode, and a write outside a group commit syncs in its COMMIT", () => {
  const modules = { catalog, cart, order, payment };
  const databases = [
    ...Object.entries(modules).map(([name, schema]) => openModuleDatabase(dir, name, schema, join(import.meta.dir, "..", "..", "src", "modules", name, "migrations"))),
    openIdentityDatabase(dir),
  ];
  try {
    for (const { sqlite, path } of databases) {
      const journal = sqlite.query<{ journal_mode: string }, []>("PRAGMA journal_mode").get()!.journal_mode;
      const synchronous = sqlite.query<{ synchronous: number }, []>("PRAGMA synchronous").get()!.synchronous;
      expect({ path, journal, synchronous }).toEqual({ path, journal: "wal", synchronous: FULL });
    }
  } finally {
    for (const database of databases) database.close();
  }
});
