import { describe, expect, test } from "bun:test";
import { MAX_JSON_DEPTH, nestsDeeperThan, parseJsonText } from "../../src/platform/http/json-body";

const nested = (depth: number, open = "[", close = "]") => open.repeat(depth) + close.repeat(depth);

describe("the JSON body parser", () => {
  test("counts arrays and objects alike, up to the bound and one past it", () => {
    expect(nestsDeeperThan(nested(MAX_JSON_DEPTH), MAX_JSON_DEPTH)).toBe(false);
    expect(nestsDeeperThan(nested(MAX_JSON_DEPTH + 1), MAX_JSON_DEPTH)).toBe(true);
    const objects = '{"a":'.repeat(MAX_JSON_DEPTH + 1) + "1" + "}".repeat(MAX_JSON_DEPTH + 1);
    expect(nestsDeeperThan(objects, MAX_JSON_DEPTH)).toBe(true);
    // Depth, not count: many siblings are fine.
    expect(nestsDeeperThan(`[${"[1],".repeat(10_000)}[1]]`, MAX_JSON_DEPTH)).toBe(false);
  });

  test("brackets inside strings do not count, whatever the escapes around them", () => {
    const inString = JSON.stringify({ name: "[".repeat(1000), note: '\\"[[[[', quote: '"{{{{"' });
    expect(nestsDeeperThan(inString, 2)).toBe(false);
    expect(parseJsonText(inString)).toEqual(JSON.parse(inString));
    // An escaped backslash ends before the quote: the string closes there, and the brackets after it count.
    expect(nestsDeeperThan('["\\\\"' + ",[[[]]]]", 3)).toBe(true);
    expect(nestsDeeperThan('["\\\\"' + ",[[]]]", 3)).toBe(false);
  });

  test("too deep is JSON_TOO_DEEP, invalid is MALFORMED_BODY, empty is null", () => {
    expect(() => parseJsonText(nested(20_000))).toThrow(expect.objectContaining({ status: 400, code: "JSON_TOO_DEEP" }));
    expect(() => parseJsonText('{"a":')).toThrow(expect.objectContaining({ status: 400, code: "MALFORMED_BODY" }));
    expect(() => parseJsonText("]]]]")).toThrow(expect.objectContaining({ code: "MALFORMED_BODY" }));
    expect(parseJsonText("")).toBeNull();
    expect(parseJsonText(nested(MAX_JSON_DEPTH))).toBeArray();
  });

  test("a 64 KB body is scanned in well under a millisecond or so", () => {
    const flat = JSON.stringify({ items: Array.from({ length: 6000 }, (_, i) => i) }).padEnd(65_536, " ");
    const started = performance.now();
    for (let i = 0; i < 20; i++) nestsDeeperThan(flat, MAX_JSON_DEPTH);
    expect((performance.now() - started) / 20).toBeLessThan(5); // generous for a busy machine
  });
});
