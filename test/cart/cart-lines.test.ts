// The cart's answer to an add is the whole cart, read in the add's own transaction: lines in the
// order they were added, each priced from the catalog, including a line that a concurrent request
// of the same customer added between this request's catalog lookup and its write.
import { afterAll, expect, test } from "bun:test";
import { MAX_CART_LINES } from "../../src/modules/cart";
import { createCartModule } from "../../src/modules/cart/module";
import { createCatalogModule } from "../../src/modules/catalog/module";
import { catalogAdmin, moduleDeps, serve, signedInCustomer } from "../support/module-harness";

const deps = moduleDeps();
const catalog = createCatalogModule({ ...deps, seed: false });
// The real catalog, answering a little late: concurrent adds then interleave between their
// catalog lookup and their write, as they do across services.
const lateCatalog = { ...catalog.api, getProducts: async (ids: string[]) => (await Bun.sleep(5), catalog.api.getProducts(ids)) };
const cart = createCartModule({ ...deps, catalog: lateCatalog });
const server = serve(cart);
afterAll(async () => {
  await server.close();
  await catalog.stop();
});

const admin = await catalogAdmin(catalog);
const product = (name: string, priceCents: number) => admin.create({ name, category: "lines", priceCents, currency: "EUR", stock: 50 });
const [kettle, mug, tray] = [await product("Kettle", 3000), await product("Mug", 800), await product("Tray", 1500)];

async function customer() {
  const { token } = await signedInCustomer("lines");
  return (productId: string, quantity = 1) =>
    server.app
      .handle(
        new Request("http://shop.local/api/cart/items", {
          method: "POST",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          body: JSON.stringify({ productId, quantity }),
        }),
      )
      .then(async (res) => ({ status: res.status, cart: (await res.json()) as { items: Array<{ productId: string; quantity: number; lineTotalCents: number }>; totalCents: number } }));
}

test("lines come back in the order they were added, merged when added again", async () => {
  const add = await customer();
  await add(tray.id);
  await Bun.sleep(2); // distinct added_at timestamps
  await add(kettle.id);
  await Bun.sleep(2);
  await add(mug.id);
  const { status, cart: after } = await add(tray.id, 2);
  expect(status).toBe(201);
  expect(after.items.map((l) => [l.productId, l.quantity])).toEqual([
    [tray.id, 3],
    [kettle.id, 1],
    [mug.id, 1],
  ]);
  expect(after.totalCents).toBe(3 * 1500 + 3000 + 800);
});

test("concurrent adds of different products by one customer: the last answer holds and prices every line", async () => {
  const add = await customer();
  const answers = await Promise.all([add(kettle.id), add(mug.id), add(tray.id)]);
  for (const a of answers) expect(a.status).toBe(201);
  const complete = answers.find((a) => a.cart.items.length === 3);
  expect(complete).toBeDefined();
  expect(complete!.cart.totalCents).toBe(3000 + 800 + 1500);
  for (const line of complete!.cart.items) expect(line.lineTotalCents).toBeGreaterThan(0);
});

test("a cart holds at most MAX_CART_LINES different products: one more is a 409 and changes nothing", async () => {
  const add = await customer();
  const many = await Promise.all(Array.from({ length: MAX_CART_LINES + 1 }, (_, i) => product(`Item ${i}`, 100 + i)));
  for (const p of many.slice(0, MAX_CART_LINES)) expect((await add(p.id)).status).toBe(201);
  const refused = await add(many[MAX_CART_LINES]!.id);
  expect(refused.status).toBe(409);
  expect((refused.cart as unknown as { error: { code: string } }).error.code).toBe("CART_FULL");
  // More of a product already in the cart is still fine, and the refused line is not there.
  const more = await add(many[0]!.id);
  expect(more.status).toBe(201);
  expect(more.cart.items.length).toBe(MAX_CART_LINES);
  expect(more.cart.items.some((l) => l.productId === many[MAX_CART_LINES]!.id)).toBe(false);
});
