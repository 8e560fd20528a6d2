// Product management in the dashboard, in Chromium against the real shop: list and search the
// catalog, create a product, edit its price and stock, delete it; a refused change shows the API's
// own message and marks the field the API named.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import type { Page } from "playwright-core";
import type { Product } from "../../src/modules/catalog/contract";
import { ARTIFACTS, ShopProcess, api, eventually, openBrowserSuite, signIn, text, tokenFor, type BrowserSuite } from "./e2e-support";

const T = { timeout: 60_000 };

describe("product management (Chromium, real server)", () => {
  let suite: BrowserSuite | undefined;
  let shop: ShopProcess;
  let page: Page;
  let ops: string;
  let created: Product;

  beforeAll(async () => {
    suite = await openBrowserSuite("products", { viewport: { width: 1280, height: 900 } });
    shop = suite.shop;
    ops = await tokenFor(shop.url, "ops", "ops-password");
    page = await suite.context.newPage();
    await page.goto(shop.url);
    await signIn(page);
    await page.getByTestId("nav-products").click();
  }, 180_000);

  afterAll(() => suite?.close(), 30_000);

  /** What the API itself answers to this product body: the message the form must show. */
  const apiSays = async (method: string, path: string, body: unknown) => {
    const res = await api<{ error: { message: string; details: { problems: Array<{ field: string }> } } }>(shop.url, method, path, { token: ops, body });
    expect(res.status).toBe(422);
    return { message: res.body.error.message, field: res.body.error.details.problems[0]!.field };
  };

  test("lists and searches the catalog", async () => {
    await page.getByTestId("product-list").waitFor();
    const seeded = (await api<{ items: Product[] }>(shop.url, "GET", "/api/products?limit=50")).body.items;
    expect(await page.locator('[data-testid^="product-row-"]').count()).toBe(seeded.length);
    expect(new URL(page.url()).searchParams.get("page")).toBe("products");
    const one = seeded[0]!;
    await page.getByTestId("product-search").fill(one.name);
    await eventually(() => page.locator('[data-testid^="product-row-"]').count(), (n) => n >= 1 && n < seeded.length, 5_000, "search results");
    await page.getByTestId(`product-row-${one.id}`).waitFor();
    await page.getByTestId("product-search").fill("");
    await eventually(() => page.locator('[data-testid^="product-row-"]').count(), (n) => n === seeded.length, 5_000, "the whole list again");
  }, T);

  test("creates a product; a refused one shows the API's message and marks its field", async () => {
    const form = page.getByTestId("product-form");
    await page.getByTestId("product-name").fill("Test Kettle");
    await page.getByTestId("product-category").fill("kitchen");
    await page.getByTestId("product-price").fill("2000000"); // 200,000,000 cents: above the catalog's bound
    await page.getByTestId("product-stock").fill("7");
    await page.getByTestId("product-create").click();
    const tooExpensive = await apiSays("POST", "/api/products", { name: "Test Kettle", category: "kitchen", priceCents: 200_000_000, currency: "EUR", stock: 7 });
    await eventually(() => text(page, "product-form-error"), (t) => t === tooExpensive.message, 5_000, "the API's price message");
    expect(await page.getByTestId("product-form-error").getAttribute("data-field")).toBe("priceCents");
    expect(await page.getByTestId("product-price").getAttribute("aria-invalid")).toBe("true");

    await page.getByTestId("product-price").fill("19.99");
    await page.getByTestId("product-category").fill("Not A Slug");
    await page.getByTestId("product-create").click();
    const badCategory = await apiSays("POST", "/api/products", { name: "Test Kettle", category: "Not A Slug", priceCents: 1999, currency: "EUR", stock: 7 });
    await eventually(() => text(page, "product-form-error"), (t) => t === badCategory.message, 5_000, "the API's category message");
    expect(await page.getByTestId("product-category").getAttribute("aria-invalid")).toBe("true");
    expect(await page.getByTestId("product-price").getAttribute("aria-invalid")).toBeNull();

    await page.getByTestId("product-category").fill("kitchen");
    await page.getByTestId("product-create").click();
    await eventually(() => text(page, "product-notice"), (t) => t === "Created “Test Kettle”.", 5_000, "the created notice");
    expect(await form.getByTestId("product-form-error").count()).toBe(0);
    const found = (await api<{ items: Product[] }>(shop.url, "GET", "/api/products?q=Test%20Kettle")).body.items;
    expect(found).toHaveLength(1);
    created = found[0]!;
    expect(created).toMatchObject({ name: "Test Kettle", category: "kitchen", priceCents: 1999, currency: "EUR", stock: 7 });
    expect(await text(page, `product-price-${created.id}`)).toBe("€19.99");
    await page.screenshot({ path: join(ARTIFACTS, "products-1280x900.png"), fullPage: true });
  }, T);

  test("edits price and stock in place; a refused edit shows the API's message", async () => {
    const id = created.id;
    await page.getByTestId(`product-edit-${id}`).click();
    await page.getByTestId(`product-edit-stock-${id}`).fill("-1");
    await page.getByTestId(`product-save-${id}`).click();
    const negative = await apiSays("PATCH", `/api/products/${id}`, { priceCents: 1999, stock: -1 });
    await eventually(() => text(page, `product-error-${id}`), (t) => t === negative.message, 5_000, "the API's stock message");
    expect(await page.getByTestId(`product-error-${id}`).getAttribute("data-field")).toBe("stock");

    await page.getByTestId(`product-edit-price-${id}`).fill("24.50");
    await page.getByTestId(`product-edit-stock-${id}`).fill("3");
    await page.getByTestId(`product-save-${id}`).click();
    await eventually(() => text(page, `product-price-${id}`), (t) => t === "€24.50", 5_000, "the new price");
    expect(await text(page, `product-stock-${id}`)).toBe("3 in stock");
    const server = (await api<Product>(shop.url, "GET", `/api/products/${id}`)).body;
    expect(server).toMatchObject({ priceCents: 2450, stock: 3 });
  }, T);

  test("deletes after a confirmation", async () => {
    const id = created.id;
    await page.getByTestId(`product-delete-${id}`).click();
    await page.getByTestId(`product-delete-confirm-${id}`).click();
    await page.getByTestId(`product-row-${id}`).waitFor({ state: "detached" });
    expect((await api(shop.url, "GET", `/api/products/${id}`)).status).toBe(404);
  }, T);

  test("fits a phone", async () => {
    await page.setViewportSize({ width: 375, height: 812 });
    await page.getByTestId("product-list").waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await page.screenshot({ path: join(ARTIFACTS, "products-375x812.png") });
  }, T);
});
