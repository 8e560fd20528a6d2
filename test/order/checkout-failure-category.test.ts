// The failure statistics group orders by the reason text the checkout wrote. Fed here with the
// checkout's own texts, so a reworded reason shows up as a failing test, not as "other" on a chart.
import { expect, test } from "bun:test";
import { declineReason } from "../../src/modules/order/placing/charge-payment.step";
import { reservationFailureReason } from "../../src/modules/order/placing/reserve-stock.step";
import { INTERRUPTED } from "../../src/modules/order/placing/settle-order.step";
import type { Order } from "../../src/modules/order/contract";
import { failureCategory } from "../../src/modules/order/viewing/order-statistics";
import type { Payment } from "../../src/modules/payment/contract";

const order = { items: [{ productId: "p1", name: "Mug", unitPriceCents: 100, quantity: 1, lineTotalCents: 100 }] } as Order;
const declined = (reason: string) => ({ declineReason: reason }) as Payment;

test("each checkout failure reason falls in its category", () => {
  expect(failureCategory(declineReason(declined("card_declined")))).toBe("card_declined");
  expect(failureCategory(declineReason(declined("insufficient_funds")))).toBe("insufficient_funds");
  expect(failureCategory(reservationFailureReason(order, { ok: false, reason: "INSUFFICIENT_STOCK", productId: "p1", requested: 2, available: 1 }))).toBe("out_of_stock");
  expect(failureCategory(reservationFailureReason(order, { ok: false, reason: "UNKNOWN_PRODUCT", productId: "p1" }))).toBe("product_unavailable");
  expect(failureCategory(reservationFailureReason(order, { ok: false, reason: "ALREADY_RELEASED", reservationId: "r" }))).toBe("interrupted");
  expect(failureCategory(INTERRUPTED)).toBe("interrupted");
  expect(failureCategory("Amount above the card limit")).toBe("other");
  expect(failureCategory(null)).toBe("other");
});
