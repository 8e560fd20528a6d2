/**
 * WAL checkpoints off the main thread. A checkpoint copies the WAL back into the database and
 * fsyncs the database file; done by the connection that happens to commit, it stalls that request
 * (measured with synchronous=NORMAL: ~15% of checkout throughput on this machine's disk). A
 * Worker with its own connections checkpoints every file instead, every 100 ms, and the
 * request connections only checkpoint themselves as a safety net when the WAL grows large.
 *
 * Under constant writes the WAL is hardly ever fully checkpointed at the moment the writer
 * begins, so it restarts mostly after that safety-net checkpoint, and each restart also fsyncs
 * the new WAL header on the writer's thread: see openModuleDatabase for the threshold.
 */

// The worker's source travels inline (a Blob URL), so bundled images need no second file.
const WORKER_SOURCE = `
import { Database } from "bun:sqlite";
const connections = new Map();
self.onmessage = ({ data }) => {
  if (data.add && !connections.has(data.add)) {
    const db = new Database(data.add);
    db.run("PRAGMA busy_timeout = 5000");
    connections.set(data.add, db);
  }
  if (data.remove) {
    connections.get(data.remove)?.close();
    connections.delete(data.remove);
  }
};
setInterval(() => {
  for (const db of connections.values()) {
    try { db.run("PRAGMA wal_checkpoint(PASSIVE)"); } catch {} // busy or closing: next round
  }
}, 100);
`;

let worker: Worker | undefined;
let unavailable = false;

/** Hands a database file to the background checkpointer; returns false when none can run here. */
export function checkpointInBackground(path: string): boolean {
  if (unavailable) return false;
  try {
    worker ??= new Worker(URL.createObjectURL(new Blob([WORKER_SOURCE], { type: "application/javascript" })));
    (worker as Worker & { unref(): void }).unref(); // never keeps the process alive
    worker.postMessage({ add: path });
    return true;
  } catch {
    unavailable = true;
    return false;
  }
}

export function stopCheckpointing(path: string): void {
  worker?.postMessage({ remove: path });
}
