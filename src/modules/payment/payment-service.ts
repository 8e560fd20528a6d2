import type { Principal } from "../../platform/auth/principal";
import { normaliseCardNumber } from "../../platform/card-number";
import { conflict, notFound } from "../../platform/errors";
import { newId, nowIso } from "../../platform/ids";
import { checkChargeAmount, decide } from "./card-processor";
import type { ChargeRequest, Payment } from "./contract";
import type { PaymentRepository } from "./payment-repository";

/** Charges and refunds; each change is written with its event (PaymentRepository). */
export class PaymentService {
  constructor(private readonly payments: PaymentRepository) {}

  async charge(request: ChargeRequest): Promise<Payment> {
    const card = normaliseCardNumber(request.cardNumber);
    checkChargeAmount(request.amountCents, request.currency);
    const { payment } = await this.payments.chargeOnce(request.orderId, () => {
      const decision = decide(card);
      const now = nowIso();
      return {
        id: newId(),
        orderId: request.orderId,
        userId: request.userId,
        amountCents: request.amountCents,
        currency: request.currency,
        status: decision.approved ? "CAPTURED" : "DECLINED",
        cardLast4: card.slice(-4),
        declineReason: decision.approved ? null : decision.reason,
        createdAt: now,
        updatedAt: now,
      };
    });
    return payment;
  }

  refund(orderId: string): Promise<Payment> {
    return this.payments.update(orderId, (payment) => {
      if (!payment) throw notFound("Payment for order", orderId);
      if (payment.status === "REFUNDED") return null;
      if (payment.status !== "CAPTURED") throw conflict("NOT_REFUNDABLE", `A ${payment.status} payment cannot be refunded`);
      return { ...payment, status: "REFUNDED", updatedAt: nowIso() };
    });
  }

  async findByOrder(orderId: string): Promise<Payment | null> {
    return (await this.payments.byOrder(orderId)) ?? null;
  }

  /** Owners see their own payments, operators (and services) see all; anyone else gets a 404, not a hint. */
  async getFor(principal: Principal, id: string): Promise<Payment> {
    const payment = await this.payments.byId(id);
    if (!payment || !canSee(principal, payment)) throw notFound("Payment", id);
    return payment;
  }

  async listByOrderFor(principal: Principal, orderId: string): Promise<Payment[]> {
    return (await this.payments.ofOrder(orderId)).filter((p) => canSee(principal, p));
  }

  listMine(principal: Principal): Promise<Payment[]> {
    return this.payments.latestOf(principal.userId, 100);
  }
}

const canSee = (principal: Principal, payment: Payment) => principal.role !== "customer" || payment.userId === principal.userId;
