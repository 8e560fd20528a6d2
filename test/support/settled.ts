// What "every order settled" means after a crash or an outage, over the orders of one product.
import { expect } from "bun:test";
import type { Shop } from "./shop";
import { eventually } from "./sse";

/**
 * The invariants after recovery, over the orders of one product: none pending, one captured
 * payment per paid order and none for the others (a late capture is refunded, in split mode after
 * Kafka brings its event), stock + sold = initial. Awaited, so recovery and events have time.
 */
export async function expectSettled(shop: Shop, productId: string, initialStock: number): Promise<any[]> {
  let orders: any[] = [];
  await eventually(async () => {
    orders = (await shop.allOrders()).filter((o) => o.items.some((line: { productId: string }) => line.productId === productId));
    expect(orders.filter((o) => o.status === "PENDING")).toEqual([]);
    let sold = 0;
    for (const order of orders) {
      const captured = (await shop.payments(order.id)).filter((p) => p.status === "CAPTURED");
      if (order.status === "PAID") {
        sold += order.items[0].quantity;
        expect(captured.map((p) => p.id)).toEqual([order.paymentId]);
      } else {
        // Not paid: nothing captured (a refund or a decline at most), no stock held.
        expect({ order: order.id, status: order.status, captured }).toEqual({ order: order.id, status: order.status, captured: [] });
      }
    }
    expect(await shop.stock(productId)).toBe(initialStock - sold);
  }, 30_000);
  return orders;
}
