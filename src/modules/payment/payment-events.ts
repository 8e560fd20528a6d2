import type { NewEvent } from "../../platform/events/outbox";
import { PAYMENT_AGGREGATE, PAYMENT_EVENTS, type Payment, type PaymentEventPayload, type PaymentStatus } from "./contract";

const EVENT_FOR_STATUS: Partial<Record<PaymentStatus, string>> = {
  CAPTURED: PAYMENT_EVENTS.captured,
  DECLINED: PAYMENT_EVENTS.declined,
  REFUNDED: PAYMENT_EVENTS.refunded,
};

/** The event a payment's change raises: a new status says what happened, carrying the payment as it is now. */
export function paymentEvents(before: Payment | undefined, after: Payment): NewEvent[] {
  const type = before?.status === after.status ? undefined : EVENT_FOR_STATUS[after.status];
  if (!type) return [];
  const payload: PaymentEventPayload = { payment: after };
  return [{ type, aggregateType: PAYMENT_AGGREGATE, aggregateId: after.id, payload }];
}
