import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { cpSync } from "node:fs";
import { join } from "node:path";
import { ensureSchemathesis } from "../infra/support/python-tools";
import { DEMO } from "../support/http-client";
import { startEntrypoint, tempDir, type ServerProcess } from "../support/processes";
import { SplitShop } from "../support/split-shop";

// The OpenAPI document is what the API does: schemathesis (pinned, installed before the tests by
// `npm test`'s tool preparation) draws requests from the served document, valid and invalid, sends
// them on loopback, and checks each answer against the document. Zero failures, in both modes, as
// an operator and as a customer. Bounded: a few examples per operation, one worker.

const CHECKS = [
  "not_a_server_error",
  "status_code_conformance",
  "content_type_conformance",
  "response_schema_conformance",
  "negative_data_rejection",
  "positive_data_acceptance",
].join(",");

// The fuzzer signs in, registers and is declined far more often than a person: it is not throttled
// here (429 stays documented, and test/auth/throttling.test.ts tests the limits).
const UNTHROTTLED: Record<string, string> = Object.fromEntries(
  ["SIGN_IN_PER_ACCOUNT", "SIGN_IN_PER_ADDRESS", "REGISTRATION_PER_ADDRESS", "DECLINED_PER_ACCOUNT", "DECLINED_PER_ADDRESS"].map((name) => [
    `THROTTLE_${name}`,
    "1000000/1",
  ]),
);

const RUN_TIMEOUT_MS = 420_000;

interface FuzzRun {
  code: number;
  output: string;
  generated: number;
  passed: number;
}

/** One schemathesis run against the shop at `url`, signed in as `username` (semantic_hooks.py). */
async function fuzz(url: string, username: string, password: string, maxExamples: number): Promise<FuzzRun> {
  const st = await ensureSchemathesis();
  // A folder of its own: schemathesis keeps a cache of past failures (.schemathesis/) where it runs,
  // and replays them; every run here starts from the document alone.
  const work = tempDir("schemathesis-");
  cpSync(join(import.meta.dir, "semantic_hooks.py"), join(work, "semantic_hooks.py"));
  const args = [st, "run", `${url}/openapi/json`, "--checks", CHECKS, "--max-examples", String(maxExamples), "--seed", "1"];
  args.push("--workers", "1", "--no-shrink", "--request-timeout", "30", "--output-truncate", "true");
  const proc = Bun.spawn(args, {
    cwd: work,
    env: {
      ...process.env,
      PYTHONPATH: work,
      SCHEMATHESIS_HOOKS: "semantic_hooks",
      SHOP_URL: url,
      SHOP_USERNAME: username,
      SHOP_PASSWORD: password,
      NO_COLOR: "1",
    },
    stdout: "pipe",
    stderr: "pipe",
    timeout: RUN_TIMEOUT_MS - 20_000,
  });
  const [code, out, err] = await Promise.all([proc.exited, new Response(proc.stdout).text(), new Response(proc.stderr).text()]);
  const output = out + err;
  const cases = /(\d+) generated, (\d+) passed/.exec(output);
  return { code, output, generated: Number(cases?.[1] ?? 0), passed: Number(cases?.[2] ?? 0) };
}

function expectClean(run: FuzzRun) {
  // On a failure, the report names each operation, check and request (curl to reproduce).
  if (run.code !== 0) throw new Error(`schemathesis found problems (exit ${run.code}):\n${run.output.slice(-20_000)}`);
  expect(run.generated).toBeGreaterThan(300);
  expect(run.passed).toBe(run.generated);
  expect(run.output).not.toMatch(/❌|🚫|unique failure|Errors:/);
}

/** A customer of its own, so the operator's run cannot disable the account the customer's run uses. */
async function newCustomer(url: string): Promise<{ username: string; password: string }> {
  const account = { username: `fuzz-${crypto.randomUUID().slice(0, 8)}`, password: "fuzz-customer-password" };
  const res = await fetch(`${url}/api/auth/register`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(account) });
  expect(res.status).toBe(201);
  return account;
}

describe("all-in-one", () => {
  let shop: ServerProcess;
  beforeAll(async () => {
    await ensureSchemathesis();
    shop = await startEntrypoint("all.ts", UNTHROTTLED, { readyTimeoutMs: 60_000 });
  }, 240_000);
  afterAll(async () => {
    await shop?.stop();
  }, 30_000);

  test("as an operator: every answer is documented, every documented request is accepted, every invalid one refused", async () => {
    expectClean(await fuzz(shop.url, "ops", DEMO.ops, 10));
  }, RUN_TIMEOUT_MS);

  test("as a customer", async () => {
    const customer = await newCustomer(shop.url);
    expectClean(await fuzz(shop.url, customer.username, customer.password, 5));
  }, RUN_TIMEOUT_MS);
});

describe("split mode, through the gateway's merged document", () => {
  let split: SplitShop;
  beforeAll(async () => {
    await ensureSchemathesis();
    split = await new SplitShop(UNTHROTTLED).start();
  }, 240_000);
  afterAll(async () => {
    await split?.stop();
  }, 60_000);

  test("as an operator", async () => {
    expectClean(await fuzz(split.url, "ops", DEMO.ops, 10));
  }, RUN_TIMEOUT_MS);

  test("as a customer", async () => {
    const customer = await newCustomer(split.url);
    expectClean(await fuzz(split.url, customer.username, customer.password, 5));
  }, RUN_TIMEOUT_MS);
});
