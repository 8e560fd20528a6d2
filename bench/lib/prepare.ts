// Puts a running shop in shape for the workloads, before any measured window: products with plenty
// of stock for checkouts (created as the operator, through the API), and customers who registered
// and logged in once (argon2id costs ~20-40 ms of CPU per call, which is not what we measure).

export interface Prepared {
  /** Paths of the read workloads. */
  productPaths: string[];
  searchPath: string;
  /** One line per customer for bench/lua/checkout.lua: "<token> <productA> <productB>". */
  customerLines: string[];
  /** Every product row, to give the bare ceiling server the same table. */
  products: Array<Record<string, unknown>>;
}

async function call(base: string, method: string, path: string, body?: unknown, token?: string): Promise<any> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} -> ${res.status}: ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : undefined;
}

/** Runs `fn` over `items`, `limit` at a time. */
async function pool<T, R>(items: T[], limit: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!, i);
      }
    }),
  );
  return out;
}

export async function prepareShop(base: string, opts: { customers: number; runId: string; checkoutProducts?: number }): Promise<Prepared> {
  const { token: ops } = await call(base, "POST", "/api/auth/token", { username: "ops", password: "ops-password" });

  // Stock at the schema's maximum, spread over several products: ample for any bounded run.
  const stocked = await pool(Array.from({ length: opts.checkoutProducts ?? 16 }, (_, i) => i), 4, (i) =>
    call(base, "POST", "/api/products", { name: `Bench item ${i}`, category: "bench", priceCents: 500 + i * 10, currency: "EUR", stock: 1_000_000 }, ops),
  );
  const ids = stocked.map((p) => p.id as string);

  const password = "bench-password-1";
  const customerLines = await pool(Array.from({ length: opts.customers }, (_, i) => i), 4, async (i) => {
    const username = `b${opts.runId}_${i}`.slice(0, 32);
    await call(base, "POST", "/api/auth/register", { username, password });
    const { token } = await call(base, "POST", "/api/auth/token", { username, password });
    return `${token} ${ids[i % ids.length]} ${ids[(i + 1) % ids.length]}`;
  });

  const products: Array<Record<string, unknown>> = [];
  for (let cursor: string | null = null; ; ) {
    const page: any = await call(base, "GET", `/api/products?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
    products.push(...page.items);
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  // Reads rotate over the seeded catalogue (not the bench items), as a shopper would browse it.
  const seeded = products.filter((p) => p.category !== "bench");
  return {
    productPaths: (seeded.length ? seeded : products).map((p) => `/api/products/${p.id}`),
    searchPath: "/api/products?q=coffee&limit=20",
    customerLines,
    products,
  };
}
