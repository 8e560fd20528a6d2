import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { CartApi } from "../../src/modules/cart";
import { createCartModule, httpCartApi, type CartModule } from "../../src/modules/cart/module";
import { createCatalogModule, type CatalogModule } from "../../src/modules/catalog/module";
import { ORDER_AGGREGATE, ORDER_EVENTS } from "../../src/modules/order";
import type { DomainEvent } from "../../src/platform/events/event";
import type { ModuleDeps } from "../../src/platform/module";
import { engines } from "../support/engines";
import { catalogAdmin, clientOptions, forBothAdapters, moduleDepsOn, serve, signedInCustomer } from "../support/module-harness";

for (const engine of engines()) {
  describe(`on ${engine.name}`, () => {
    let deps: ModuleDeps;
    let catalog: CatalogModule;
    let cart: CartModule;
    let server: ReturnType<typeof serve>;
    let priced: { id: string };
    let admin: Awaited<ReturnType<typeof catalogAdmin>>;
    beforeAll(async () => {
      deps = await moduleDepsOn(engine, "cart_contract");
      catalog = createCatalogModule({ ...deps, seed: false });
      cart = createCartModule({ ...deps, catalog: catalog.api });
      await catalog.start();
      await cart.start();
      server = serve(cart);
      admin = await catalogAdmin(catalog);
      priced = await admin.create({ name: "Kettle", category: "contract", priceCents: 3000, currency: "EUR", stock: 9 });
    }, engine.setupTimeoutMs + 30_000);
    afterAll(async () => {
      await server?.close();
      await catalog?.stop();
    });

    /** Customers signed in through a real identity database: their tokens, by user id. */
    const tokenOf = new Map<string, string>();
    async function newCustomerId(): Promise<string> {
      const { userId, token } = await signedInCustomer("contract");
      tokenOf.set(userId, token);
      return userId;
    }

    async function addLine(userId: string, productId: string, quantity = 1): Promise<Response> {
      const token = tokenOf.get(userId)!;
      return server.app.handle(
        new Request("http://shop.local/api/cart/items", {
          method: "POST",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          body: JSON.stringify({ productId, quantity }),
        }),
      );
    }

    async function cartWithKettles(quantity: number, known?: string): Promise<string> {
      const userId = known ?? (await newCustomerId());
      expect((await addLine(userId, priced.id, quantity)).status).toBe(201);
      return userId;
    }

    forBothAdapters(
      describe,
      { "in-process": () => cart.api, http: () => httpCartApi(clientOptions(server.baseUrl)) },
      (api: () => CartApi) => {
        test("an unknown user's cart is empty", async () => {
          expect(await api().getCart("nobody")).toEqual({ items: [], totalCents: 0, currency: "EUR", checkoutRevision: 0 });
        });

        test("a cart is priced with the catalog's current prices", async () => {
          const userId = await cartWithKettles(2);
          expect(await api().getCart(userId)).toEqual({
            items: [{ productId: priced.id, name: "Kettle", unitPriceCents: 3000, currency: "EUR", quantity: 2, lineTotalCents: 6000 }],
            totalCents: 6000,
            currency: "EUR",
            checkoutRevision: 0,
          });
        });

        test("lines in two currencies (a product's currency changed after it was added) are never summed: the total is null", async () => {
          const userId = await cartWithKettles(1);
          const tea = await admin.create({ name: "Tea", category: "contract", priceCents: 500, currency: "EUR", stock: 9 });
          expect((await addLine(userId, tea.id)).status).toBe(201);
          await admin.change(tea.id, { currency: "JPY" });
          expect(await api().getCart(userId)).toMatchObject({
            items: [{ productId: priced.id, currency: "EUR", lineTotalCents: 3000 }, { productId: tea.id, currency: "JPY", lineTotalCents: 500 }],
            totalCents: null,
            currency: "EUR",
          });
        });

        test("checkedOut takes the ordered quantities out once per order, keeping what was added since, and bumps the checkout revision once", async () => {
          const userId = await cartWithKettles(3);
          const orderId = `o-${crypto.randomUUID()}`;
          await api().checkedOut(userId, orderId, [{ productId: priced.id, quantity: 2 }]);
          await api().checkedOut(userId, orderId, [{ productId: priced.id, quantity: 2 }]);
          expect(await api().getCart(userId)).toMatchObject({ items: [{ quantity: 1 }], checkoutRevision: 1 });
          await api().checkedOut(userId, `o-${crypto.randomUUID()}`, [{ productId: priced.id, quantity: 1 }]);
          expect(await api().getCart(userId)).toMatchObject({ items: [], checkoutRevision: 2 });
        });

        test("adding, changing and removing lines leave the checkout revision alone: only an order's lines leaving the cart move it", async () => {
          const userId = await cartWithKettles(1);
          await cartWithKettles(1, userId);
          expect((await api().getCart(userId)).checkoutRevision).toBe(0);
        });
      },
    );

    describe("the order.paid safety net", () => {
      const paidEvent = (userId: string, orderId: string, quantity: number): DomainEvent => ({
        id: crypto.randomUUID(),
        type: ORDER_EVENTS.paid,
        aggregateType: ORDER_AGGREGATE,
        aggregateId: orderId,
        occurredAt: new Date().toISOString(),
        payload: { previousStatus: "PENDING", order: { id: orderId, userId, items: [{ productId: priced.id, quantity }] } },
      });

      test("an order's lines leave the cart once, however often its order.paid arrives, and not again after checkedOut", async () => {
        const userId = await cartWithKettles(5);
        const orderId = `o-${crypto.randomUUID()}`;
        const event = paidEvent(userId, orderId, 2);
        await deps.bus.publish([event, event]); // a redelivery
        await deps.bus.publish([paidEvent(userId, orderId, 2)]); // the same order under another event id
        expect((await cart.api.getCart(userId)).items[0]!.quantity).toBe(3);

        const second = `o-${crypto.randomUUID()}`;
        await cart.api.checkedOut(userId, second, [{ productId: priced.id, quantity: 1 }]); // the saga's own call first
        await deps.bus.publish([paidEvent(userId, second, 1)]);
        expect((await cart.api.getCart(userId)).items[0]!.quantity).toBe(2);
      });
    });
  });
}
