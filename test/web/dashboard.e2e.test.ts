// End to end: the real shop (all-in-one, fresh data dir, loopback port) serving the built dashboard,
// driven in Debian's Chromium through playwright-core. An operator signs in, an order placed through
// the API by a customer shows up live, gets shipped from the details panel, and the stats follow.
// Then the server is restarted under the open page: the live indicator must show the outage and the
// dashboard must reconnect and keep receiving orders. Screenshots go to test-artifacts/.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import type { Subprocess } from "bun";
import type { Order } from "../../src/modules/order/contract";
import { freePort } from "../support/processes";

const CHROMIUM = "/usr/bin/chromium";
const REPO = resolve(import.meta.dir, "../..");
const WEB = join(REPO, "web");
const DIST = join(WEB, "dist");
const ARTIFACTS = join(REPO, "test-artifacts");
const LIVE_WAIT_MS = 3_000; // an order must appear in the table within this, without a reload

const T = { timeout: 60_000 };


/** Newest modification time under a path (files only). */
function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** Builds web/dist when it is missing or older than its sources (bounded to 2 minutes). */
async function ensureWebBuilt() {
  const built = existsSync(join(DIST, "index.html")) ? statSync(join(DIST, "index.html")).mtimeMs : 0;
  const sources = Math.max(
    newestMtime(join(WEB, "src")),
    newestMtime(join(WEB, "index.html")),
    newestMtime(join(WEB, "vite.config.ts")),
    newestMtime(join(REPO, "src/modules/order/contract.ts")), // bundled into the dashboard
  );
  if (built > sources) return;
  const proc = Bun.spawn([process.execPath, "x", "vite", "build", "web"], { cwd: REPO, stdout: "pipe", stderr: "pipe" });
  const timer = setTimeout(() => proc.kill("SIGKILL"), 120_000);
  const [code, out, err] = await Promise.all([proc.exited, new Response(proc.stdout).text(), new Response(proc.stderr).text()]);
  clearTimeout(timer);
  if (code !== 0 || !existsSync(join(DIST, "index.html"))) throw new Error(`vite build web failed (exit ${code}):\n${out}\n${err}`);
}

class Shop {
  proc: Subprocess<"ignore", "pipe", "pipe"> | null = null;
  private log: string[] = [];
  constructor(readonly port: number, readonly dataDir: string) {}

  get url() {
    return `http://127.0.0.1:${this.port}`;
  }

  async start() {
    this.proc = Bun.spawn([process.execPath, "src/entrypoints/all.ts"], {
      cwd: REPO,
      env: { ...process.env, PORT: String(this.port), DATA_DIR: this.dataDir, NODE_ENV: "test", WEB_DIST: DIST },
      stdin: "ignore",
      stdout: "pipe",
      stderr: "pipe",
    });
    void this.drain(this.proc.stdout);
    void this.drain(this.proc.stderr);
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (this.proc.exitCode !== null) throw new Error(`the shop exited with ${this.proc.exitCode} while starting:\n${this.output()}`);
      try {
        const res = await fetch(`${this.url}/health/ready`, { signal: AbortSignal.timeout(1_000) });
        if (res.status === 200) return;
      } catch {
        /* not listening yet */
      }
      await Bun.sleep(100);
    }
    throw new Error(`the shop was not ready within 30 s:\n${this.output()}`);
  }

  async stop() {
    const proc = this.proc;
    this.proc = null;
    if (!proc || proc.exitCode !== null) return;
    proc.kill("SIGTERM");
    const exited = await Promise.race([proc.exited.then(() => true), Bun.sleep(5_000).then(() => false)]);
    if (!exited) {
      proc.kill("SIGKILL");
      await proc.exited;
    }
  }

  output() {
    return this.log.join("").split("\n").slice(-40).join("\n");
  }

  private async drain(stream: ReadableStream<Uint8Array>) {
    const decoder = new TextDecoder();
    const reader = stream.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      this.log.push(decoder.decode(value));
      if (this.log.length > 400) this.log.splice(0, 200);
    }
  }
}

async function api<T>(shop: Shop, method: string, path: string, opts: { token?: string; body?: unknown; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(`${shop.url}${path}`, {
    method,
    headers,
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

async function tokenFor(shop: Shop, username: string, password: string) {
  const res = await api<{ token: string }>(shop, "POST", "/api/auth/token", { body: { username, password } });
  expect(res.status).toBe(200);
  return res.body.token;
}

/** Alice puts the first in-stock product in her cart and pays with the good test card. */
async function placeOrderAsAlice(shop: Shop): Promise<Order> {
  const token = await tokenFor(shop, "alice", "alice-password");
  const products = await api<{ items: Array<{ id: string; stock: number }> }>(shop, "GET", "/api/products?limit=20");
  expect(products.status).toBe(200);
  const product = products.body.items.find((p) => p.stock > 0);
  expect(product).toBeDefined();
  const added = await api(shop, "POST", "/api/cart/items", { token, body: { productId: product!.id, quantity: 1 } });
  expect(added.status).toBeLessThan(300);
  const placed = await api<Order>(shop, "POST", "/api/orders", {
    token,
    body: { cardNumber: "4242424242424242" },
    headers: { "idempotency-key": crypto.randomUUID() },
  });
  expect(placed.status).toBe(201);
  expect(placed.body.status).toBe("PAID");
  return placed.body;
}

const text = async (page: Page, testId: string) => ((await page.getByTestId(testId).textContent()) ?? "").trim();
const count = async (page: Page, testId: string) => Number((await text(page, testId)).replace(/[^\d]/g, ""));

/** Polls until `read` returns something `ok` accepts, at most `ms`. */
async function eventually<V>(read: () => Promise<V>, ok: (v: V) => boolean, ms: number, what: string): Promise<V> {
  const deadline = Date.now() + ms;
  let last: V | undefined;
  while (Date.now() < deadline) {
    last = await read();
    if (ok(last)) return last;
    await Bun.sleep(50);
  }
  throw new Error(`timed out after ${ms} ms waiting for ${what} (last value: ${JSON.stringify(last)})`);
}

describe("operators' dashboard (Chromium, real server)", () => {
  let shop: Shop;
  let dataDir: string;
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  let page: Page;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`${CHROMIUM} is missing: install Debian's Chromium first (apt-get install -y chromium); this test does not install it.`);
    }
    mkdirSync(ARTIFACTS, { recursive: true });
    await ensureWebBuilt();
    dataDir = mkdtempSync(join(tmpdir(), "shop-web-e2e-"));
    shop = new Shop(await freePort(), dataDir);
    await shop.start();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      timeout: 30_000,
      args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
    context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: "en-US", timezoneId: "UTC" });
    context.setDefaultTimeout(10_000);
    page = await context.newPage();
  }, 180_000);

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await shop?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }, 30_000);

  test("a customer who signs in is told the dashboard is for operators", async () => {
    await page.goto(shop.url);
    await page.getByLabel("Username").fill("alice");
    await page.getByLabel("Password").fill("alice-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await eventually(() => text(page, "signin-error"), (t) => t.includes("operators only"), 5_000, "the customer message");
    expect(await page.getByTestId("live-indicator").count()).toBe(0);
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    await page.screenshot({ path: join(ARTIFACTS, "signin-customer-1440x900.png") });
  }, T);

  test("wrong credentials get a clear message", async () => {
    await page.getByLabel("Username").fill("ops");
    await page.getByLabel("Password").fill("not-the-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await eventually(() => text(page, "signin-error"), (t) => t === "Wrong username or password.", 5_000, "the wrong-credentials message");
  }, T);

  test("operator: live order appears, is shipped from the details panel, stats follow", async () => {
    await page.getByLabel("Username").fill("ops");
    await page.getByLabel("Password").fill("ops-password");
    await page.getByRole("button", { name: "Sign in" }).click();

    // Signed in, live, stats shown, no orders yet.
    await page.locator('[data-testid="live-indicator"][data-state="connected"]').waitFor();
    await page.getByTestId("orders-empty").waitFor();
    await eventually(() => text(page, "stats-total"), (t) => t === "0", 5_000, "stats-total = 0");
    expect(await text(page, "stats-revenue")).toMatch(/0\.00/);
    const shippedBefore = await count(page, "stats-count-SHIPPED");

    // Remember this document: if it were reloaded, the marker would be gone.
    await page.evaluate(() => ((window as unknown as { __noReload: boolean }).__noReload = true));

    const order = await placeOrderAsAlice(shop);
    const placedAt = Date.now();
    const row = page.getByTestId(`order-row-${order.id}`);
    await row.waitFor({ state: "visible", timeout: LIVE_WAIT_MS });
    console.log(`order ${order.id} appeared ${Date.now() - placedAt} ms after checkout answered`);
    await eventually(() => text(page, `order-status-${order.id}`), (s) => s === "Paid", LIVE_WAIT_MS, "row status Paid");
    expect(await page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
    expect(await text(page, `order-customer-${order.id}`)).toBe("alice");
    await eventually(() => count(page, "stats-total"), (n) => n === 1, LIVE_WAIT_MS, "stats-total = 1");
    await eventually(() => count(page, "stats-count-PAID"), (n) => n === 1, LIVE_WAIT_MS, "PAID count = 1");
    expect(await text(page, "stats-revenue")).not.toMatch(/^\D*0\.00$/);

    // Details: lines, totals, payment, history, and only the legal moves enabled.
    await page.getByTestId(`order-open-${order.id}`).click();
    const details = page.getByTestId("order-details");
    await details.waitFor();
    expect(await details.getAttribute("data-order-id")).toBe(order.id);
    expect(await text(page, "details-status")).toBe("Paid");
    expect(await text(page, "details-customer")).toBe("alice");
    expect(await page.getByTestId("details-lines").locator("tbody tr").count()).toBe(order.items.length);
    await page.getByTestId("details-payment").waitFor();
    expect(await text(page, "payment-status")).toMatch(/Captured|Authorized/);
    expect(await page.getByTestId("details-payment").textContent()).toContain("4242");
    expect(await page.getByTestId("order-timeline").locator("li").count()).toBeGreaterThanOrEqual(2);
    expect(await page.getByTestId("btn-ship").isEnabled()).toBe(true);
    expect(await page.getByTestId("btn-deliver").isDisabled()).toBe(true);
    expect(await page.getByTestId("btn-cancel").isEnabled()).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, "dashboard-details-1440x900.png") });

    // Ship it.
    await page.getByTestId("btn-ship").click();
    await eventually(() => text(page, "details-status"), (s) => s === "Shipped", LIVE_WAIT_MS, "details status Shipped");
    await eventually(() => text(page, `order-status-${order.id}`), (s) => s === "Shipped", LIVE_WAIT_MS, "row status Shipped");
    await eventually(() => count(page, "stats-count-SHIPPED"), (n) => n === shippedBefore + 1, LIVE_WAIT_MS, "SHIPPED count + 1");
    expect(await count(page, "stats-count-PAID")).toBe(0);
    expect(await page.getByTestId("btn-ship").isDisabled()).toBe(true);
    expect(await page.getByTestId("btn-deliver").isEnabled()).toBe(true);
    expect(await page.getByTestId("btn-cancel").isDisabled()).toBe(true);
    await page.getByTestId("timeline-SHIPPED").waitFor();
    const server = await api<Order>(shop, "GET", `/api/orders/${order.id}`, { token: await tokenFor(shop, "ops", "ops-password") });
    expect(server.body.status).toBe("SHIPPED");

    // Escape closes the panel and gives focus back to the row's button.
    await page.keyboard.press("Escape");
    await details.waitFor({ state: "detached" });
    await eventually(
      () => page.evaluate(() => document.activeElement?.getAttribute("data-testid") ?? ""),
      (id) => id === `order-open-${order.id}`,
      2_000,
      "focus back on the row",
    );

    // Filter by status: the shipped order is there under SHIPPED, not under PAID.
    await page.getByTestId("filter-status").selectOption("PAID");
    await page.getByTestId("orders-empty").waitFor();
    await page.getByTestId("filter-status").selectOption("SHIPPED");
    await row.waitFor();
    await page.getByTestId("filter-status").selectOption("");
    await row.waitFor();

    await page.screenshot({ path: join(ARTIFACTS, "dashboard-1440x900.png"), fullPage: true });

    // Phone width: no horizontal scrolling, details panel usable.
    await page.setViewportSize({ width: 375, height: 812 });
    await row.waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await page.screenshot({ path: join(ARTIFACTS, "dashboard-375x812.png"), fullPage: true });
    await page.getByTestId(`order-open-${order.id}`).click();
    await details.waitFor();
    expect((await details.boundingBox())!.width).toBeLessThanOrEqual(375);
    await page.screenshot({ path: join(ARTIFACTS, "dashboard-details-375x812.png") });
    await page.getByTestId("btn-close-details").click();
    await details.waitFor({ state: "detached" });
    await page.setViewportSize({ width: 1440, height: 900 });
  }, T);

  test("survives a server restart: shows reconnecting, reconnects, keeps receiving orders", async () => {
    await shop.stop();
    await page.locator('[data-testid="live-indicator"][data-state="reconnecting"]').waitFor({ timeout: 5_000 });
    await page.screenshot({ path: join(ARTIFACTS, "dashboard-reconnecting-1440x900.png") });
    await shop.start(); // same port, same data
    await page.locator('[data-testid="live-indicator"][data-state="connected"]').waitFor({ timeout: 20_000 });

    const order = await placeOrderAsAlice(shop);
    await page.getByTestId(`order-row-${order.id}`).waitFor({ state: "visible", timeout: LIVE_WAIT_MS });
    await eventually(() => count(page, "stats-total"), (n) => n === 2, LIVE_WAIT_MS, "stats-total = 2");
  }, T);

  test("the session survives a reload; signing out forgets it", async () => {
    await page.reload();
    await page.locator('[data-testid="live-indicator"][data-state="connected"]').waitFor();
    expect(await text(page, "current-user")).toBe("ops");
    await page.getByTestId("btn-signout").click();
    await page.getByLabel("Username").waitFor();
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
  }, T);
});
