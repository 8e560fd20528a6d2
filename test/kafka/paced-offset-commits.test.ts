// A consumer's offset commits, paced: the first handled batch after a quiet spell commits at once,
// the batches that follow within the interval leave together in one commit (the newest offset of
// each partition), and whatever is pending leaves when the consumer stops.
import { expect, test } from "bun:test";
import { PacedOffsetCommits, type PartitionOffset } from "../../src/platform/events/paced-offset-commits";

function recorder(intervalMs: number) {
  const sent: PartitionOffset[][] = [];
  const errors: unknown[] = [];
  const commits = new PacedOffsetCommits(async (offsets) => void sent.push(offsets), intervalMs, (e) => errors.push(e));
  return { sent, errors, commits };
}

test("the first batch commits at once; the next ones within the interval leave together, newest offset per partition", async () => {
  const { sent, commits } = recorder(100);
  await commits.add({ topic: "shop.order", partition: 0, offset: "5" });
  expect(sent).toEqual([[{ topic: "shop.order", partition: 0, offset: "5" }]]);
  for (let i = 6; i <= 20; i++) await commits.add({ topic: "shop.order", partition: i % 2, offset: String(i) });
  expect(sent.length).toBe(1); // nothing sent inside the interval
  await Bun.sleep(150);
  expect(sent.length).toBe(2);
  expect(sent[1]!.sort((a, b) => a.partition - b.partition)).toEqual([
    { topic: "shop.order", partition: 0, offset: "20" },
    { topic: "shop.order", partition: 1, offset: "19" },
  ]);
});

test("stopping sends what is pending; dropping forgets it", async () => {
  const { sent, commits } = recorder(10_000);
  await commits.add({ topic: "shop.payment", partition: 2, offset: "1" });
  await commits.add({ topic: "shop.payment", partition: 2, offset: "2" });
  await commits.flush();
  expect(sent.map((s) => s[0]!.offset)).toEqual(["1", "2"]);
  await commits.add({ topic: "shop.payment", partition: 2, offset: "3" });
  commits.drop();
  await commits.flush();
  expect(sent.length).toBe(2);
});

test("a commit the timer sends that fails is reported, not thrown", async () => {
  let fail = false;
  const errors: unknown[] = [];
  const send = async () => {
    if (fail) throw new Error("rebalance in progress");
  };
  const commits = new PacedOffsetCommits(send, 30, (e) => errors.push(e));
  await commits.add({ topic: "t", partition: 0, offset: "1" });
  fail = true;
  await commits.add({ topic: "t", partition: 0, offset: "2" });
  await Bun.sleep(80);
  expect(errors.map((e) => (e as Error).message)).toEqual(["rebalance in progress"]);
});
