// The late-charge safety net on a real order database and the real payment module: a capture
// that lands for an order that already ended without it is refunded; a capture the order was
// paid with, or one for an order still pending, is left alone.
import { afterAll, expect, test } from "bun:test";
import { join } from "node:path";
import { lateChargeRefund } from "../../src/modules/order/late-charge-refund";
import { OrderRepository } from "../../src/modules/order/order-repository";
import * as orderSchema from "../../src/modules/order/schema";
import type { Order, OrderStatus } from "../../src/modules/order";
import { PAYMENT_AGGREGATE, PAYMENT_EVENTS, type Payment } from "../../src/modules/payment";
import { createPaymentModule } from "../../src/modules/payment/module";
import { openModuleDatabase } from "../../src/platform/db/open-database";
import { joinCommitBatch } from "../../src/platform/db/group-commit";
import type { DomainEvent } from "../../src/platform/events/event";
import { log, moduleDeps } from "../contracts/harness";

const deps = moduleDeps();
const payments = createPaymentModule(deps);
const database = openModuleDatabase(deps.dataDir, "order", orderSchema, join(import.meta.dir, "..", "..", "src", "modules", "order", "migrations"));
const repo = new OrderRepository(database.db, database.sqlite);
const handler = lateChargeRefund(repo, payments.api, log);
afterAll(async () => {
  database.close();
  await payments.stop();
});

let cartRevision = 0; // one live order per customer and cart revision: each order here its own
function order(status: OrderStatus, paymentId: string | null = null): Order {
  const at = new Date().toISOString();
  const o: Order = {
    id: `o-${crypto.randomUUID()}`, userId: "u-1", username: "late", status, paymentId, failureReason: null,
    items: [{ productId: "p-1", name: "Kettle", unitPriceCents: 1234, quantity: 1, lineTotalCents: 1234 }],
    totalCents: 1234, currency: "EUR", history: [{ status: "PENDING", at }], createdAt: at, updatedAt: at,
  };
  expect(joinCommitBatch(database.sqlite, () => repo.insert(o, cartRevision++))).toBe(true);
  return o;
}

const captured = (payment: Payment): DomainEvent => ({
  id: crypto.randomUUID(), type: PAYMENT_EVENTS.captured, aggregateType: PAYMENT_AGGREGATE, aggregateId: payment.id,
  occurredAt: new Date().toISOString(), payload: { payment },
});
const charge = (orderId: string) => payments.api.charge({ orderId, userId: "u-1", amountCents: 1234, currency: "EUR", cardNumber: "4242424242424242" });

test("a capture for an order that ended without it is refunded, once however often it is delivered", async () => {
  for (const status of ["CANCELLED", "PAYMENT_FAILED"] as const) {
    const ended = order(status);
    const payment = await charge(ended.id);
    await handler.handle(captured(payment));
    await handler.handle(captured(payment));
    expect(await payments.api.findByOrder(ended.id)).toMatchObject({ id: payment.id, status: "REFUNDED" });
  }
});

test("a capture the order was paid with, or one for an order still pending, stays captured", async () => {
  const pending = order("PENDING");
  const early = await charge(pending.id);
  await handler.handle(captured(early));
  expect((await payments.api.findByOrder(pending.id))!.status).toBe("CAPTURED");

  const paidWith = order("PAID");
  const payment = await charge(paidWith.id);
  joinCommitBatch(database.sqlite, () => repo.save({ ...paidWith, paymentId: payment.id }));
  await handler.handle(captured(payment));
  expect((await payments.api.findByOrder(paidWith.id))!.status).toBe("CAPTURED");
});
