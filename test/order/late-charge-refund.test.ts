// The late-charge safety net on a real order database and the real payment module: a capture
// that lands for an order that already ended without it is refunded; a capture the order was
// paid with, or one for an order still pending, is left alone.
import { afterAll, expect, test } from "bun:test";
import type { OrderStatus } from "../../src/modules/order";
import { lateChargeRefund } from "../../src/modules/order/settling/late-charge-refund";
import { PAYMENT_AGGREGATE, PAYMENT_EVENTS, type Payment } from "../../src/modules/payment";
import { createPaymentModule } from "../../src/modules/payment/module";
import type { DomainEvent } from "../../src/platform/events/event";
import { log, moduleDeps } from "../support/module-harness";
import { anOrder, keyFor, orderDatabase } from "../support/order-database";

const deps = moduleDeps();
const payments = createPaymentModule(deps);
const database = await orderDatabase(deps);
const handler = lateChargeRefund(database.orders, payments.api, log);
afterAll(async () => {
  await database.close();
  await payments.stop();
});

let cartRevision = 0; // one live order per customer and cart revision: each order here its own
async function order(status: OrderStatus) {
  const o = anOrder("u-1", status);
  expect(await database.orders.placePending(o, cartRevision++, keyFor(o))).toEqual({ placed: true });
  return o;
}

const captured = (payment: Payment): DomainEvent => ({
  id: crypto.randomUUID(), type: PAYMENT_EVENTS.captured, aggregateType: PAYMENT_AGGREGATE, aggregateId: payment.id,
  occurredAt: new Date().toISOString(), payload: { payment },
});
const charge = (orderId: string) => payments.api.charge({ orderId, userId: "u-1", amountCents: 1234, currency: "EUR", cardNumber: "4242424242424242" });

test("a capture for an order that ended without it is refunded, once however often it is delivered", async () => {
  for (const status of ["CANCELLED", "PAYMENT_FAILED"] as const) {
    const ended = await order(status);
    const payment = await charge(ended.id);
    await handler.handle(captured(payment));
    await handler.handle(captured(payment));
    expect(await payments.api.findByOrder(ended.id)).toMatchObject({ id: payment.id, status: "REFUNDED" });
  }
});

test("a capture the order was paid with, or one for an order still pending, stays captured", async () => {
  const pending = await order("PENDING");
  const early = await charge(pending.id);
  await handler.handle(captured(early));
  expect((await payments.api.findByOrder(pending.id))!.status).toBe("CAPTURED");

  const paidWith = await order("PAID");
  const payment = await charge(paidWith.id);
  await database.orders.update(paidWith.id, (o) => ({ ...o, paymentId: payment.id }));
  await handler.handle(captured(payment));
  expect((await payments.api.findByOrder(paidWith.id))!.status).toBe("CAPTURED");
});
