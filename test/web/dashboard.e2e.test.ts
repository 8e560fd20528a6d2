// End to end: the real shop (all-in-one, fresh data dir, loopback port) serving the built dashboard,
// driven in Debian's Chromium through playwright-core. An operator signs in, an order placed through
// the API shows up live, is shipped and delivered from the details panel (a finished order offers no
// buttons), and the figures follow. The server is restarted under the open page: the dashboard shows
// the outage, reconnects and keeps receiving orders. A burst of checkouts never shows figures that
// disagree with the table; the table sorts, filters by date, pages and exports to CSV; on a phone the
// orders come first and no figure wraps; the charts fit their cards, read back from their canvases.
// Screenshots go to test-artifacts/.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import type { Order } from "../../src/modules/order/contract";
import { RANGES } from "../../src/modules/order/viewing/order-statistics";
import { chartInk } from "./chart-canvas";
import { ARTIFACTS, CARDS, ShopProcess, api, checkout, count, createProduct, eventually, openBrowserSuite, signIn, text, tokenFor, type BrowserSuite } from "./e2e-support";

const LIVE_WAIT_MS = 3_000; // an order must appear in the table within this, without a reload
const T = { timeout: 60_000 };
const STATUSES = ["PENDING", "PAID", "SHIPPED", "DELIVERED", "CANCELLED", "PAYMENT_FAILED"];

/** Alice puts the first in-stock seeded product in her cart and pays with the good test card. */
async function placeOrderAsAlice(shop: ShopProcess): Promise<Order> {
  const token = await tokenFor(shop.url, "alice", "alice-password");
  const products = await api<{ items: Array<{ id: string; stock: number }> }>(shop.url, "GET", "/api/products?limit=20");
  const product = products.body.items.find((p) => p.stock > 0);
  expect(product).toBeDefined();
  const placed = await checkout(shop.url, token, product!.id);
  expect(placed.status).toBe(201);
  expect(placed.order.status).toBe("PAID");
  return placed.order;
}

/** Every order for these list parameters, through the API's own paging. */
async function allOrders(shop: ShopProcess, token: string, params: string): Promise<Order[]> {
  const all: Order[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 50; page++) {
    const res: { body: { items: Order[]; nextCursor: string | null } } = await api(shop.url, "GET", `/api/orders?limit=100&${params}${cursor ? `&cursor=${cursor}` : ""}`, { token });
    all.push(...res.body.items);
    cursor = res.body.nextCursor;
    if (!cursor) return all;
  }
  throw new Error("more than 50 pages");
}

const rowIds = (page: Page) => page.locator('[data-testid^="order-row-"]').evaluateAll((rows) => rows.map((r) => r.getAttribute("data-order-id")!));

describe("operators' dashboard (Chromium, real server)", () => {
  let suite: BrowserSuite | undefined;
  let shop: ShopProcess;
  let page: Page;
  let ops: string;
  let first: Order;

  beforeAll(async () => {
    suite = await openBrowserSuite("web", { viewport: { width: 1440, height: 900 }, acceptDownloads: true });
    shop = suite.shop;
    ops = await tokenFor(shop.url, "ops", "ops-password");
    page = await suite.context.newPage();
  }, 180_000);

  afterAll(() => suite?.close(), 30_000);

  test("a customer who signs in is told the dashboard is for operators", async () => {
    await page.goto(shop.url);
    await signIn(page, "alice", "alice-password");
    await eventually(() => text(page, "signin-error"), (t) => t.includes("operators only"), 5_000, "the customer message");
    expect(await page.getByTestId("live-indicator").count()).toBe(0);
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    await page.screenshot({ path: join(ARTIFACTS, "signin-customer-1440x900.png") });
  }, T);

  test("wrong credentials get a clear message", async () => {
    await signIn(page, "ops", "not-the-password");
    await eventually(() => text(page, "signin-error"), (t) => t === "Wrong username or password.", 5_000, "the wrong-credentials message");
  }, T);

  test("operator: live order appears, is shipped from the details panel, figures follow", async () => {
    await signIn(page);

    // Signed in, live, stats shown, no orders yet.
    await page.locator('[data-testid="live-indicator"][data-state="connected"]').waitFor();
    await page.getByTestId("orders-empty").waitFor();
    await eventually(() => text(page, "stats-total"), (t) => t === "0", 5_000, "stats-total = 0");
    expect(await text(page, "stats-revenue-none")).toBe("—");

    // Remember this document: if it were reloaded, the marker would be gone.
    await page.evaluate(() => ((window as unknown as { __noReload: boolean }).__noReload = true));

    const order = (first = await placeOrderAsAlice(shop));
    const placedAt = Date.now();
    const row = page.getByTestId(`order-row-${order.id}`);
    await row.waitFor({ state: "visible", timeout: LIVE_WAIT_MS });
    console.log(`order ${order.id} appeared ${Date.now() - placedAt} ms after checkout answered`);
    await eventually(() => text(page, `order-status-${order.id}`), (s) => s === "Paid", LIVE_WAIT_MS, "row status Paid");
    expect(await page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
    expect(await text(page, `order-customer-${order.id}`)).toBe("alice");
    await eventually(() => count(page, "stats-total"), (n) => n === 1, LIVE_WAIT_MS, "stats-total = 1");
    await eventually(() => count(page, "stats-count-PAID"), (n) => n === 1, LIVE_WAIT_MS, "PAID count = 1");
    await page.getByTestId(`stats-revenue-${order.currency}`).waitFor();
    expect(await count(page, `stats-revenue-${order.currency}`)).toBe(order.totalCents);
    await eventually(() => page.getByTestId("chart-orders").getAttribute("data-orders-total"), (n) => n === "1", LIVE_WAIT_MS, "chart: 1 order");

    // Details: lines, totals, payment, history, and exactly the legal moves.
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
    expect(await page.getByTestId("btn-cancel").isEnabled()).toBe(true);
    expect(await page.getByTestId("btn-deliver").count()).toBe(0);
    await page.screenshot({ path: join(ARTIFACTS, "dashboard-details-1440x900.png") });

    // Ship it.
    await page.getByTestId("btn-ship").click();
    await eventually(() => text(page, "details-status"), (s) => s === "Shipped", LIVE_WAIT_MS, "details status Shipped");
    await eventually(() => text(page, `order-status-${order.id}`), (s) => s === "Shipped", LIVE_WAIT_MS, "row status Shipped");
    await eventually(() => count(page, "stats-count-SHIPPED"), (n) => n === 1, LIVE_WAIT_MS, "SHIPPED count 1");
    expect(await count(page, "stats-count-PAID")).toBe(0);
    expect(await page.getByTestId("btn-deliver").isEnabled()).toBe(true);
    expect(await page.getByTestId("btn-ship").count()).toBe(0);
    expect(await page.getByTestId("btn-cancel").count()).toBe(0);
    await page.getByTestId("timeline-SHIPPED").waitFor();
    const server = await api<Order>(shop.url, "GET", `/api/orders/${order.id}`, { token: ops });
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
  }, T);

  test("the charts fit their cards, with the panel open or not; the bucket under way is whole; labels are uncut and apart", async () => {
    // One order (the first test's) sits in the last bucket of each range. Each canvas is read back:
    // - it is no wider than its card (a 200 px floor spilled the last bars out of a card narrowed by the panel);
    // - the last bar is whole (uPlot centres bars on their x: with the x range ending at the last
    //   bucket only its left half was drawn);
    // - the bottom rows are blank (the date uPlot writes under a day's first tick was cut off by a one-line axis);
    // - no run of ink in the time labels' row is wider than one label ("12:20am12:30am" ran together).
    for (const panel of ["closed", "open"] as const) {
      if (panel === "open") await page.getByTestId(`order-open-${first.id}`).click();
      for (const range of ["week", "day", "hour"] as const) {
        const buckets = RANGES[range].seconds / RANGES[range].bucketSeconds;
        await page.getByTestId(`chart-range-${range}`).click();
        await eventually(() => page.getByTestId("chart-orders").getAttribute("data-range"), (r) => r === range, 5_000, `range ${range}`);
        await eventually(() => page.getByTestId("chart-orders").getAttribute("data-orders-total"), (n) => n === "1", 5_000, `${range}: 1 order`);
        expect(await text(page, "chart-orders-summary")).toStartWith("1 order · "); // not "1 orders"
        await page.waitForTimeout(300); // the canvas is redrawn on the next frame
        const spills = await page.locator(".chart-canvas").evaluateAll((boxes) => boxes.filter((b) => b.querySelector("canvas")!.getBoundingClientRect().width > b.clientWidth + 0.5).length);
        const drawn = await chartInk(page.getByTestId("chart-orders"));
        // A bar is 80% of its bucket (at most 24 px); the half of one that was drawn, 40%. "12:50am" is ~50 px.
        const barWidth = drawn.barRight - drawn.barLeft + 1;
        const wholeBar = barWidth >= Math.min(0.6 * (drawn.plotWidth / buckets), 20);
        const seen = { panel, range, spills, wholeBar, bottomInk: drawn.bottomInk, labelsApart: drawn.widestLabelRun <= 60 };
        expect(seen).toEqual({ panel, range, spills: 0, wholeBar: true, bottomInk: 0, labelsApart: true });
      }
    }
    await page.screenshot({ path: join(ARTIFACTS, "dashboard-charts-with-details-1440x900.png") });
    await page.keyboard.press("Escape");
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

  test("a finished order shows no buttons, disabled or not", async () => {
    await page.getByTestId(`order-open-${first.id}`).click();
    const details = page.getByTestId("order-details");
    await page.getByTestId("btn-deliver").click();
    await eventually(() => text(page, "details-status"), (s) => s === "Delivered", LIVE_WAIT_MS, "details status Delivered");
    await page.getByTestId("details-no-actions").waitFor();
    expect(await details.locator(".details-actions button").count()).toBe(0);
    expect(await details.locator("button:disabled").count()).toBe(0);
    await page.getByTestId("btn-close-details").click();
    await details.waitFor({ state: "detached" });
  }, T);

  test("a burst of checkouts: the figures never disagree with the table", async () => {
    const mug = await createProduct(shop.url, ops, { name: "=SUM(1+1) mug", priceCents: 1250, stock: 1000 });
    const machine = await createProduct(shop.url, ops, { name: "Espresso machine", priceCents: 999_999, stock: 5 });
    const [alice, bob] = [await tokenFor(shop.url, "alice", "alice-password"), await tokenFor(shop.url, "bob", "bob-password")];
    const before = (await rowIds(page)).length;
    expect(await count(page, "stats-total")).toBe(before);

    // After every change the page makes, the table and the figures must tell the same story.
    await page.evaluate((statuses) => {
      const state = { checks: 0, mismatches: [] as unknown[] };
      (window as unknown as { __consistency: typeof state }).__consistency = state;
      const number = (id: string) => Number(document.querySelector(`[data-testid="${id}"]`)?.textContent?.replace(/\D/g, "") ?? NaN);
      const check = () => {
        const rows = [...document.querySelectorAll('[data-testid^="order-row-"]')];
        const inTable: Record<string, number> = Object.fromEntries(statuses.map((s) => [s, 0]));
        for (const row of rows) inTable[row.querySelector("[data-status]")!.getAttribute("data-status")!]! += 1;
        const inFigures = Object.fromEntries(statuses.map((s) => [s, number(`stats-count-${s}`)]));
        const total = number("stats-total");
        state.checks++;
        if (total !== rows.length || statuses.some((s) => inTable[s] !== inFigures[s])) state.mismatches.push({ rows: rows.length, total, inTable, inFigures });
      };
      new MutationObserver(check).observe(document.querySelector("main")!, { subtree: true, childList: true, characterData: true, attributes: true });
    }, STATUSES);

    const run = async (token: string, n: number, declined: number[], firstProduct: string) => {
      for (let i = 0; i < n; i++) {
        const res = await checkout(shop.url, token, i === 0 ? firstProduct : mug, declined.includes(i) ? CARDS.declined : CARDS.ok);
        expect(res.status).toBe(declined.includes(i) ? 402 : 201);
      }
    };
    const started = Date.now();
    await Promise.all([run(alice, 16, [3, 9], machine), run(bob, 16, [5, 12], mug)]);
    console.log(`32 checkouts in ${Date.now() - started} ms`);
    await eventually(() => count(page, "stats-total"), (n) => n === before + 32, LIVE_WAIT_MS, "stats-total after the burst");
    await eventually(async () => (await rowIds(page)).length, (n) => n === before + 32, LIVE_WAIT_MS, "rows after the burst");
    const consistency = await page.evaluate(() => (window as unknown as { __consistency: { checks: number; mismatches: unknown[] } }).__consistency);
    console.log(`table and figures compared ${consistency.checks} times during the burst`);
    expect(consistency.checks).toBeGreaterThan(32);
    expect(consistency.mismatches).toEqual([]);
    expect(await count(page, "stats-count-PAYMENT_FAILED")).toBe(4);

    // The charts moved with the same events.
    await eventually(() => page.getByTestId("chart-status-mix").getAttribute("data-counts"), (c) => c!.split(",").map(Number).reduce((a, b) => a + b) === before + 32, LIVE_WAIT_MS, "status mix");
    await eventually(() => page.getByTestId("chart-failures").getAttribute("data-total"), (t) => t === "4", 5_000, "failures chart");
    await page.screenshot({ path: join(ARTIFACTS, "dashboard-1440x900.png"), fullPage: true });
  }, T);

  test("sorting by total, status and time pages like the API; the date range filters", async () => {
    await page.reload(); // the first page only (25 of 34 orders), so "load more" is needed
    await page.locator('[data-testid="live-indicator"][data-state="connected"]').waitFor();
    await page.getByTestId("btn-load-more").waitFor();

    const expectRowsLike = async (params: string, all = false) => {
      const expected = (await allOrders(shop, ops, params)).map((o) => o.id);
      await eventually(() => rowIds(page), (ids) => JSON.stringify(ids) === JSON.stringify(all ? expected : expected.slice(0, 25)), 5_000, `rows sorted like ${params}`);
    };
    await page.getByTestId("sort-totalCents").click();
    await expectRowsLike("sort=totalCents&dir=desc");
    expect(await page.locator("th[aria-sort=descending]").textContent()).toContain("Total");
    await page.getByTestId("sort-totalCents").click();
    await expectRowsLike("sort=totalCents&dir=asc");
    await page.getByTestId("filter-sort").selectOption("status:asc");
    await expectRowsLike("sort=status&dir=asc");
    for (let i = 0; i < 5 && (await page.getByTestId("btn-load-more").count()) > 0; i++) {
      await page.getByTestId("btn-load-more").click();
      await Bun.sleep(200);
    }
    await page.getByTestId("orders-end").waitFor();
    await expectRowsLike("sort=status&dir=asc", true);
    expect(new URL(page.url()).searchParams.get("sort")).toBe("status");

    const today = new Date().toISOString().slice(0, 10);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    await page.getByTestId("filter-from").fill(tomorrow);
    await page.getByTestId("orders-empty").waitFor();
    await page.getByTestId("filter-from").fill(today);
    await page.getByTestId("filter-to").fill(today);
    await expectRowsLike(`sort=status&dir=asc&from=${encodeURIComponent(new Date(`${today}T00:00:00Z`).toISOString())}`);
    await page.getByTestId("btn-clear-filters").click();
    await page.getByTestId("filter-sort").selectOption("createdAt:desc");
    await expectRowsLike("");
  }, T);

  test("CSV export holds every matching order, not only the loaded page, with formula cells made text", async () => {
    await page.getByTestId("filter-sort").selectOption("createdAt:desc");
    await page.getByTestId("filter-status").selectOption("PAID");
    await page.getByTestId("btn-load-more").waitFor(); // more than one page of paid orders
    const loaded = (await rowIds(page)).length;
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("btn-export").click()]);
    const file = await download.path();
    const csv = readFileSync(file!, "utf8").replace(/^\uFEFF/, "");
    const lines = csv.trimEnd().split("\r\n");
    const paid = await allOrders(shop, ops, "status=PAID");
    expect(download.suggestedFilename()).toMatch(/^orders-PAID-\d{4}-\d{2}-\d{2}\.csv$/);
    expect(lines[0]).toBe("Order,Placed (UTC),Customer,Status,Items,Total,Currency,Failure reason");
    expect(lines.length - 1).toBe(paid.length);
    expect(paid.length).toBeGreaterThan(loaded);
    expect(lines.slice(1).map((l) => l.split(",")[0])).toEqual(paid.map((o) => o.id));
    expect(lines.some((l) => l.includes(",'=SUM(1+1) mug × 1,12.50,EUR,"))).toBe(true);
    expect(lines.some((l) => /,=/.test(l))).toBe(false); // no cell starts with a formula
    await page.getByTestId("filter-status").selectOption("");
  }, T);

  test("on a phone the orders come first and no figure wraps; finished orders show no buttons there either", async () => {
    await page.setViewportSize({ width: 375, height: 812 });
    await page.evaluate(() => window.scrollTo(0, 0));
    const firstRow = page.locator('[data-testid^="order-row-"]').first();
    await firstRow.waitFor();
    const rowTop = (await firstRow.boundingBox())!.y;
    const figuresTop = (await page.locator(".overview").boundingBox())!.y;
    console.log(`phone: first order row at ${Math.round(rowTop)} px, figures at ${Math.round(figuresTop)} px`);
    expect(rowTop).toBeLessThan(812 * 0.3);
    expect(figuresTop).toBeGreaterThan(rowTop);
    const wide = await page.evaluate(() => [...document.querySelectorAll("body *")].filter((e) => e.getBoundingClientRect().right > 376).slice(0, 8).map((e) => `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`));
    console.log("wider than the phone:", wide);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    // Each figure is one line, shown whole (the €10,000-ish revenue included).
    const figures = await page.locator(".kpi .figure").evaluateAll((els) =>
      els.map((el) => {
        const range = document.createRange();
        range.selectNodeContents(el);
        const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
        return { text: el.textContent, lines, clipped: el.scrollWidth > el.clientWidth };
      }),
    );
    expect(figures.some((f) => f.text!.replace(/\D/g, "").length >= 7)).toBe(true);
    for (const f of figures) expect(f).toEqual({ text: f.text, lines: 1, clipped: false });
    await page.screenshot({ path: join(ARTIFACTS, "dashboard-375x812.png") });
    await page.screenshot({ path: join(ARTIFACTS, "dashboard-375x812-full.png"), fullPage: true });

    // Filters fold behind one button on a phone.
    expect(await page.getByTestId("filter-status").isVisible()).toBe(false);
    await page.getByTestId("btn-filters").click();
    expect(await page.getByTestId("filter-status").isVisible()).toBe(true);
    await page.getByTestId("btn-filters").click();

    const failed = (await allOrders(shop, ops, "status=PAYMENT_FAILED"))[0]!;
    await page.getByTestId(`order-open-${failed.id}`).click();
    const details = page.getByTestId("order-details");
    await details.waitFor();
    expect((await details.boundingBox())!.width).toBeLessThanOrEqual(375);
    await page.getByTestId("details-no-actions").waitFor();
    expect(await details.locator("button:disabled").count()).toBe(0);
    await page.screenshot({ path: join(ARTIFACTS, "dashboard-details-375x812.png") });
    await page.getByTestId("btn-close-details").click();
    await details.waitFor({ state: "detached" });
    await page.setViewportSize({ width: 1440, height: 900 });
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
