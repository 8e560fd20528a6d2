// What the dashboard's Chromium tests share: the built dashboard (../support/web-build.ts), the real shop in its own process
// (all-in-one, fresh data dir, loopback), Debian's Chromium, and small polling helpers.
import { expect } from "bun:test";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from "playwright-core";
import type { Subprocess } from "bun";
import type { Order } from "../../src/modules/order/contract";
import { freePort } from "../support/processes";
import { WEB_DIST, ensureWebBuilt } from "../support/web-build";

export const CHROMIUM = "/usr/bin/chromium";
export const REPO = resolve(import.meta.dir, "../..");
export const ARTIFACTS = join(REPO, "test-artifacts");
export const CARDS = { ok: "4242424242424242", declined: "4000000000000002" } as const;

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: install Debian's Chromium first (apt-get install -y chromium); this test does not install it.`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    timeout: 30_000,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

/** What a browser suite runs against: the shop on a fresh data folder, and Chromium with one context. */
export interface BrowserSuite {
  shop: ShopProcess;
  context: BrowserContext;
  /** Closes Chromium, stops the shop and removes its data. */
  close(): Promise<void>;
}

/**
 * Builds the dashboard if needed, starts the shop and Chromium with a context of `contextOptions`
 * (English and UTC unless they say otherwise; 10 s per action). If any of it fails, what was opened
 * is closed before the error is thrown, since the suite's afterAll has nothing to close then.
 */
export async function openBrowserSuite(name: string, contextOptions: BrowserContextOptions): Promise<BrowserSuite> {
  mkdirSync(ARTIFACTS, { recursive: true }); // the suites' screenshots
  await ensureWebBuilt();
  const dataDir = mkdtempSync(join(tmpdir(), `shop-${name}-e2e-`));
  const shop = new ShopProcess(freePort(), dataDir);
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close().catch(() => undefined); // closes its contexts too
    await shop.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await shop.start();
    browser = await launchChromium();
    const context = await browser.newContext({ locale: "en-US", timezoneId: "UTC", ...contextOptions });
    context.setDefaultTimeout(10_000);
    return { shop, context, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** The shop serving the built dashboard, restartable on the same port and data. */
export class ShopProcess {
  proc: Subprocess<"ignore", "pipe", "pipe"> | null = null;
  private log: string[] = [];
  constructor(readonly port: number, readonly dataDir: string) {}

  get url() {
    return `http://127.0.0.1:${this.port}`;
  }

  async start() {
    this.proc = Bun.spawn([process.execPath, "src/entrypoints/all.ts"], {
      cwd: REPO,
      env: { ...process.env, PORT: String(this.port), HOST: "127.0.0.1", DATA_DIR: this.dataDir, NODE_ENV: "test", WEB_DIST },
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

export async function api<T = any>(base: string, method: string, path: string, opts: { token?: string; body?: unknown; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(`${base}${path}`, {
    method,
    headers,
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

export async function tokenFor(base: string, username: string, password: string) {
  const res = await api<{ token: string }>(base, "POST", "/api/auth/token", { body: { username, password } });
  expect(res.status).toBe(200);
  return res.body.token;
}

/** A product of the operator's making (the seeded catalog's prices are not the test's to know). */
export async function createProduct(base: string, opsToken: string, product: { name: string; priceCents: number; stock: number; currency?: string }) {
  const res = await api<{ id: string }>(base, "POST", "/api/products", { token: opsToken, body: { category: "test", currency: "EUR", ...product } });
  expect(res.status).toBe(201);
  return res.body.id;
}

/** One checkout by a signed-in customer: puts `quantity` of the product in the cart and pays. */
export async function checkout(base: string, token: string, productId: string, card: string = CARDS.ok, quantity = 1): Promise<{ status: number; order: Order }> {
  const added = await api(base, "POST", "/api/cart/items", { token, body: { productId, quantity } });
  expect(added.status).toBeLessThan(300);
  const placed = await api<Order>(base, "POST", "/api/orders", { token, body: { cardNumber: card }, headers: { "idempotency-key": crypto.randomUUID() } });
  return { status: placed.status, order: placed.body };
}

export const text = async (page: Page, testId: string) => ((await page.getByTestId(testId).textContent()) ?? "").trim();
export const count = async (page: Page, testId: string) => Number((await text(page, testId)).replace(/[^\d]/g, ""));

/** Polls until `read` returns something `ok` accepts, at most `ms`. */
export async function eventually<V>(read: () => Promise<V>, ok: (v: V) => boolean, ms: number, what: string): Promise<V> {
  const deadline = Date.now() + ms;
  let last: V | undefined;
  while (Date.now() < deadline) {
    last = await read();
    if (ok(last)) return last;
    await Bun.sleep(50);
  }
  throw new Error(`timed out after ${ms} ms waiting for ${what} (last value: ${JSON.stringify(last)})`);
}

export async function signIn(page: Page, username = "ops", password = "ops-password") {
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}
