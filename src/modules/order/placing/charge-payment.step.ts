import type { Payment, PaymentApi } from "../../payment";
import type { Order } from "../contract";

/** Step 3: charge the order's total, keyed by the order id (a retry never charges twice). */
export const chargePayment = (payments: PaymentApi, order: Order, cardNumber: string): Promise<Payment> =>
  payments.charge({ orderId: order.id, userId: order.userId, amountCents: order.totalCents, currency: order.currency, cardNumber });

/** Its compensation: refund a captured charge. Idempotent. */
export const refundPayment = (payments: PaymentApi, order: Pick<Order, "id">): Promise<Payment> => payments.refund(order.id);

export const declineReason = (payment: Payment) =>
  payment.declineReason === "insufficient_funds" ? "Payment failed: insufficient funds" : "Payment declined by the card issuer";
