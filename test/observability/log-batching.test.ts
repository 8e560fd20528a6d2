// The request log's lines leave stdout in few writes: a batched() logger's lines wait up to 50 ms
// to share one write, across event-loop turns; other info lines (the listening line) still leave
// by the end of their turn. Nothing is lost or reordered.
import { afterEach, expect, test } from "bun:test";
import { createLogger } from "../../src/platform/logger";

const realWrite = process.stdout.write.bind(process.stdout);
let writes: string[] = [];
afterEach(() => {
  process.stdout.write = realWrite;
});
function captureStdout() {
  writes = [];
  process.stdout.write = ((chunk: string | Uint8Array) => {
    writes.push(String(chunk));
    return true;
  }) as typeof process.stdout.write;
}
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
const lines = () => writes.join("").split("\n").filter(Boolean).map((l) => JSON.parse(l) as { msg: string; n?: number });

test("100 request lines over 100 turns leave in a few writes, all of them, in order", async () => {
  captureStdout();
  const requests = createLogger("info", { service: "test" }).batched();
  for (let n = 0; n < 100; n++) {
    requests.info("request", { n });
    await nextTurn();
  }
  await Bun.sleep(120);
  expect(lines().map((l) => l.n)).toEqual(Array.from({ length: 100 }, (_, n) => n));
  expect(writes.length).toBeLessThanOrEqual(5); // a write per turn was 100
});

test("an ordinary info line leaves by the end of its turn, with the request lines before it", async () => {
  captureStdout();
  const log = createLogger("info", { service: "test" });
  log.batched().info("request", { n: 1 });
  log.info("listening");
  await nextTurn();
  await nextTurn();
  expect(lines().map((l) => l.msg)).toEqual(["request", "listening"]);
});
