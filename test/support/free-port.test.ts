// freePort() hands each caller a port to listen on. Two calls in one process must never get the same
// one: the kernel may give a just-released port to the next bind, and a test that started two servers
// on it failed (metrics-port.test.ts: "METRICS_PORT must differ from PORT", seen in CI).
import { expect, test } from "bun:test";
import { freePort } from "./processes";

test("freePort never hands out the same port twice in a process", () => {
  const ports = Array.from({ length: 1000 }, () => freePort());
  expect(new Set(ports).size).toBe(ports.length);
});
