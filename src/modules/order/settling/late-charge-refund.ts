import type { DomainEvent, Subscription } from "../../../platform/events/event";
import type { Logger } from "../../../platform/logger";
import { PAYMENT_AGGREGATE, PAYMENT_EVENTS, type PaymentApi, type PaymentEventPayload } from "../../payment";
import type { OrderRepository } from "../order-repository";
import { refundPayment } from "../placing/charge-payment.step";

/**
 * The saga's last safety net: a charge that lands for an order that is no longer payable (the
 * order was settled as interrupted while a charge was still in flight to the payment service)
 * is refunded. Refunds are idempotent, so redeliveries are harmless.
 */
export function lateChargeRefund(orders: OrderRepository, payments: PaymentApi, log: Logger): Subscription {
  return {
    group: "order-payments",
    aggregateTypes: [PAYMENT_AGGREGATE],
    eventTypes: [PAYMENT_EVENTS.captured],
    async handle(event: DomainEvent) {
      const { payment } = event.payload as PaymentEventPayload;
      const order = await orders.standing(payment.orderId);
      if (!order || order.status === "PENDING" || order.paymentId === payment.id) return;
      if (order.status === "CANCELLED" || order.status === "PAYMENT_FAILED") {
        log.warn("refunding a charge that landed after its order ended", { orderId: order.id, paymentId: payment.id });
        await refundPayment(payments, order);
      }
    },
  };
}
