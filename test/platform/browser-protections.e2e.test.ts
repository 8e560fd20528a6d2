// Browser protections, end to end: every kind of response carries the security headers in both
// modes, and in Debian's Chromium, with every request that is not to loopback aborted (offline), the
// API reference renders from the pinned package and neither it nor the dashboard trips its
// Content-Security-Policy (no securitypolicyviolation event, no CSP console error).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { API_REFERENCE_CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY } from "../../src/platform/http/security-headers";
import { DEMO } from "../support/http-client";
import { startEntrypoint, type ServerProcess } from "../support/processes";
import { rawExchange, rawGet } from "../support/raw-http";
import { CARDS, Shop } from "../support/shop";
import { SplitShop } from "../support/split-shop";
import { ensureWebBuilt } from "../support/web-build";

const CHROMIUM = "/usr/bin/chromium";
const T = { timeout: 90_000 };

let webDist: string;
let allInOne: ServerProcess;
let split: SplitShop;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's Chromium first (apt-get install -y chromium).`);
  webDist = await ensureWebBuilt();
  const env = { WEB_DIST: webDist, SEED_CATALOG: "false" };
  [allInOne, split] = await Promise.all([startEntrypoint("all.ts", env, { readyTimeoutMs: 60_000 }), new SplitShop(env).start()]);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    timeout: 30_000,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}, 240_000);
afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await Promise.all([allInOne?.stop(), split?.stop()]);
}, 30_000);

const PROTECTIONS = {
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
};

function expectProtected(headers: Headers, what: string, csp = CONTENT_SECURITY_POLICY) {
  const got: Record<string, string | null> = Object.fromEntries(["content-security-policy", ...Object.keys(PROTECTIONS)].map((h) => [h, headers.get(h)]));
  const want: Record<string, string | null> = { "content-security-policy": csp, ...PROTECTIONS };
  expect({ what, ...got }).toEqual({ what, ...want });
}

test("the strict policy says what the brief asks", () => {
  for (const directive of ["default-src 'self'", "script-src 'self'", "object-src 'none'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'"]) {
    expect(CONTENT_SECURITY_POLICY).toContain(directive);
    expect(API_REFERENCE_CONTENT_SECURITY_POLICY).toContain(directive);
  }
  expect(CONTENT_SECURITY_POLICY).not.toContain("unsafe");
  // The docs page relaxes styles only, never scripts.
  expect(API_REFERENCE_CONTENT_SECURITY_POLICY.replace("style-src 'self' 'unsafe-inline'", "")).not.toContain("unsafe");
});

describe.each([
  { mode: "all-in-one", url: () => allInOne.url, port: () => allInOne.port },
  { mode: "split gateway", url: () => split.url, port: () => split.ports.gateway },
])("$mode", ({ url, port }) => {
  test("every kind of response carries the protections: dashboard, assets, API, errors, docs", async () => {
    const asset = readdirSync(join(webDist, "assets")).find((f) => f.endsWith(".js"))!;
    const get = (path: string, init?: RequestInit) => fetch(url() + path, { ...init, signal: AbortSignal.timeout(15_000) });
    const cases: Array<[string, Response]> = [
      ["the dashboard", await get("/")],
      ["a client-side route", await get("/orders/some-id")],
      ["a dashboard asset", await get(`/assets/${asset}`)],
      ["an API answer", await get("/api/products?limit=1")],
      ["an API 404", await get("/api/products/0190aaaa-0000-7000-8000-000000000000")],
      ["an unknown route", await get("/api/nothing-here")],
      ["a 401", await get("/api/cart")],
      ["a 400 for a malformed path", await get("/api/products/%E0%A4%A")],
      ["a 415", await get("/api/auth/token", { method: "POST", headers: { "content-type": "text/plain" }, body: "x" })],
      ["the OpenAPI document", await get("/openapi/json")],
      ["the API reference's script", await get("/openapi/assets/scalar.js")],
      ["health", await get("/health/ready")],
    ];
    for (const [what, res] of cases) {
      expect({ what, status: res.status < 500 }).toEqual({ what, status: true });
      expectProtected(res.headers, what);
      await res.arrayBuffer();
    }
    expectProtected((await get("/openapi")).headers, "the API reference page", API_REFERENCE_CONTENT_SECURITY_POLICY);
    // Even the answer to a request the shell refuses before routing.
    const refused = await rawExchange(port(), rawGet("/health/live", null, "1.0"));
    expect(refused.status).toBe(400);
    for (const [name, value] of Object.entries({ "content-security-policy": CONTENT_SECURITY_POLICY, ...PROTECTIONS })) {
      expect(refused.text.toLowerCase()).toContain(`${name}: ${value}`.toLowerCase());
    }
  }, 30_000);

  test("the API reference renders offline from our own assets, within its policy", async () => {
    const doc = await (await fetch(`${url()}/openapi/json`)).json();
    const summaries = Object.values(doc.paths as Record<string, Record<string, { summary?: string }>>).flatMap((ops) => Object.values(ops).map((op) => op.summary)).filter(Boolean) as string[];
    expect(summaries.length).toBeGreaterThan(0);
    const visit = await visitOffline(`${url()}/openapi`, async (page) => {
      await page.getByText(summaries[0]!, { exact: true }).first().waitFor({ state: "visible", timeout: 30_000 });
    });
    expect(visit.documentCsp).toBe(API_REFERENCE_CONTENT_SECURITY_POLICY);
    expect(visit.violations).toEqual([]);
    expect(visit.cspConsoleErrors).toEqual([]);
    expect(visit.offOrigin).toEqual([]); // nothing even tried to leave loopback: no CDN, fonts or telemetry
    expect(visit.failedScripts).toEqual([]);
  }, T);
});

test("the dashboard, signed in and live, fires no CSP violation (no inline scripts or style attributes)", async () => {
  const shop = await Shop.connect(allInOne.url);
  const productId = await shop.product(5);
  const visit = await visitOffline(allInOne.url, async (page) => {
    await page.getByLabel("Username").fill("ops");
    await page.getByLabel("Password").fill(DEMO.ops);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("button", { name: "Sign in" }).waitFor({ state: "detached", timeout: 15_000 });
    // An order arrives live while the page is open: rows, chips and figures render.
    const alice = await shop.anon.login("alice", DEMO.alice);
    await shop.addToCart(alice, productId, 1);
    expect((await shop.checkout(alice, CARDS.ok)).status).toBe(201);
    await page.waitForTimeout(2_000);
  });
  expect(visit.documentCsp).toBe(CONTENT_SECURITY_POLICY);
  expect(visit.violations).toEqual([]);
  expect(visit.cspConsoleErrors).toEqual([]);
  expect(visit.offOrigin).toEqual([]);
}, T);

interface Visit {
  documentCsp: string | undefined;
  violations: string[];
  cspConsoleErrors: string[];
  offOrigin: string[];
  failedScripts: string[];
}

/** Opens `url` in a fresh context where every request off loopback is aborted, runs `act`, and reports what the policy saw. */
async function visitOffline(url: string, act: (page: Page) => Promise<void>): Promise<Visit> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: "en-US", timezoneId: "UTC" });
  context.setDefaultTimeout(15_000);
  const visit: Visit = { documentCsp: undefined, violations: [], cspConsoleErrors: [], offOrigin: [], failedScripts: [] };
  try {
    await context.route("**/*", (route) => {
      const target = new URL(route.request().url());
      if (target.protocol === "data:" || target.protocol === "blob:" || target.hostname === "127.0.0.1") return route.continue();
      visit.offOrigin.push(route.request().url());
      return route.abort();
    });
    await context.addInitScript(() => {
      const seen: string[] = ((window as unknown as { __violations: string[] }).__violations = []);
      document.addEventListener("securitypolicyviolation", (e) => seen.push(`${e.effectiveDirective} blocked ${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber}`));
    });
    const page = await context.newPage();
    page.on("console", (m) => {
      if (m.type() === "error" && /Content.Security.Policy/i.test(m.text())) visit.cspConsoleErrors.push(m.text().slice(0, 300));
    });
    page.on("requestfailed", (r) => {
      if (r.resourceType() === "script") visit.failedScripts.push(r.url());
    });
    const response = await page.goto(url, { waitUntil: "load" });
    visit.documentCsp = (await response?.allHeaders())?.["content-security-policy"];
    await act(page);
    visit.violations = await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations);
  } finally {
    await context.close();
  }
  return visit;
}
