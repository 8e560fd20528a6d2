// The built dashboard under the Content-Security-Policy the shop sends: served here by a small
// Bun.serve that adds the header to every answer and passes /api (the live stream included) to the
// real shop. Chromium must report no `securitypolicyviolation` while an operator signs in, the
// charts draw, an order arrives live, the details panel opens and the products page is used; a
// style attribute set on purpose at the end must be reported, so the check is seen to work.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { join, normalize, resolve } from "node:path";
import type { Server } from "bun";
import type { Page } from "playwright-core";
import { WEB_DIST } from "../support/web-build";
import { ARTIFACTS, ShopProcess, api, checkout, openBrowserSuite, signIn, tokenFor, type BrowserSuite } from "./e2e-support";

const SHOP_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; " +
  "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

/** The dashboard's files and a pass-through to the shop's API, every answer with the CSP. */
function serveWithCsp(upstream: string): Server<undefined> {
  const root = resolve(WEB_DIST);
  return Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    idleTimeout: 0, // the live stream stays open
    async fetch(request) {
      const url = new URL(request.url);
      if (url.pathname.startsWith("/api/")) {
        const res = await fetch(upstream + url.pathname + url.search, {
          method: request.method,
          headers: request.headers,
          body: request.method === "GET" || request.method === "HEAD" ? undefined : await request.arrayBuffer(),
          signal: request.signal,
        });
        const headers = new Headers(res.headers);
        headers.delete("content-encoding");
        headers.delete("content-length");
        headers.set("content-security-policy", SHOP_CSP);
        return new Response(res.body, { status: res.status, headers });
      }
      const file = resolve(root, "." + normalize(url.pathname));
      const path = file.startsWith(root + "/") && existsSync(file) ? file : join(root, "index.html");
      return new Response(Bun.file(path), { headers: { "content-security-policy": SHOP_CSP } });
    },
  });
}

interface Violation {
  directive: string;
  blocked: string;
  sample: string;
}
const violations = (page: Page) => page.evaluate(() => (window as unknown as { __csp: Violation[] }).__csp);

describe("the dashboard under the shop's Content-Security-Policy (Chromium)", () => {
  let suite: BrowserSuite | undefined;
  let shop: ShopProcess;
  let server: Server<undefined>;
  let page: Page;

  beforeAll(async () => {
    suite = await openBrowserSuite("csp", { viewport: { width: 1440, height: 900 } });
    shop = suite.shop;
    server = serveWithCsp(shop.url);
    await suite.context.addInitScript(() => {
      const seen: Violation[] = [];
      (window as unknown as { __csp: Violation[] }).__csp = seen;
      document.addEventListener("securitypolicyviolation", (e) => seen.push({ directive: e.violatedDirective, blocked: e.blockedURI, sample: e.sample }));
    });
    page = await suite.context.newPage();
  }, 180_000);

  afterAll(async () => {
    server?.stop(true);
    await suite?.close();
  }, 30_000);

  test("orders, charts, live updates, details and products raise no violation", async () => {
    const response = await page.goto(`http://127.0.0.1:${server.port}/`);
    expect(response!.headers()["content-security-policy"]).toBe(SHOP_CSP);
    await signIn(page);
    await page.locator('[data-testid="live-indicator"][data-state="connected"]').waitFor();
    for (const chart of ["chart-orders-canvas", "chart-status-mix-canvas", "chart-failures-canvas"]) {
      await page.getByTestId(chart).locator("canvas").first().waitFor();
    }

    const alice = await tokenFor(shop.url, "alice", "alice-password");
    const product = (await api<{ items: Array<{ id: string; stock: number }> }>(shop.url, "GET", "/api/products?limit=5")).body.items.find((p) => p.stock > 0)!;
    const placed = await checkout(shop.url, alice, product.id);
    await page.getByTestId(`order-row-${placed.order.id}`).waitFor({ timeout: 5_000 });
    await page.getByTestId(`order-open-${placed.order.id}`).click();
    await page.getByTestId("details-payment").waitFor();
    await page.getByTestId("chart-range-week").click();
    await page.getByTestId("filter-sort").selectOption("totalCents:desc");
    await page.screenshot({ path: join(ARTIFACTS, "dashboard-csp-1440x900.png") });

    await page.getByTestId("nav-products").click();
    await page.getByTestId("product-list").waitFor();
    await page.getByTestId("product-create").click(); // an empty form: the API's error is shown
    await page.getByTestId("product-form-error").waitFor();
    await page.setViewportSize({ width: 375, height: 812 });
    await page.getByTestId("nav-orders").click();
    await page.getByTestId(`order-row-${placed.order.id}`).waitFor();

    expect(await violations(page)).toEqual([]);
  }, 60_000);

  test("the check can fail: a style attribute is blocked and reported", async () => {
    await page.evaluate(() => {
      const div = document.createElement("div");
      div.setAttribute("style", "color: red");
      document.body.append(div);
    });
    await Bun.sleep(100); // the event is queued as a task
    const seen = await violations(page);
    expect(seen.length).toBe(1);
    expect(seen[0]!.directive).toMatch(/^style-src/);
  }, 30_000);
});
