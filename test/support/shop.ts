import { expect } from "bun:test";
import { Api, DEMO } from "./http-client";

export const CARDS = { ok: "4242424242424242", declined: "4000000000000002", insufficient: "4000000000009995" } as const;

/** Helpers that read like the steps of a shopping scenario. */
export class Shop {
  constructor(readonly anon: Api, readonly ops: Api) {}

  static async connect(url: string): Promise<Shop> {
    const anon = new Api(url);
    return new Shop(anon, await anon.login("ops", DEMO.ops));
  }

  async product(stock: number, priceCents = 1000, name = `Item ${crypto.randomUUID().slice(0, 6)}`): Promise<string> {
    const res = await this.ops.post("/api/products", { name, category: "test", priceCents, currency: "EUR", stock });
    expect(res.status).toBe(201);
    return res.body.id;
  }

  async stock(productId: string): Promise<number> {
    return (await this.anon.get(`/api/products/${productId}`)).body.stock;
  }

  async addToCart(customer: Api, productId: string, quantity: number) {
    const res = await customer.post("/api/cart/items", { productId, quantity });
    expect(res.status).toBe(201);
    return res.body;
  }

  checkout(customer: Api, card: string = CARDS.ok, key: string = crypto.randomUUID()) {
    return customer.post("/api/orders", { cardNumber: card }, { "idempotency-key": key });
  }

  async payments(orderId: string): Promise<any[]> {
    return (await this.ops.get(`/api/payments?orderId=${orderId}`)).body;
  }

  async allOrders(): Promise<any[]> {
    const all: any[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 100; page++) {
      const res: any = await this.ops.get(`/api/orders?limit=100${cursor ? `&cursor=${cursor}` : ""}`);
      all.push(...res.body.items);
      cursor = res.body.nextCursor;
      if (!cursor) break;
    }
    return all;
  }
}
