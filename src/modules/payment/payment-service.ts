import type { Database } from "bun:sqlite";
import { and, desc, eq } from "drizzle-orm";
import type { BunSQLiteDatabase } from "drizzle-orm/bun-sqlite";
import type { Principal } from "../../platform/auth/principal";
import { conflict, notFound } from "../../platform/errors";
import { appendToOutbox } from "../../platform/events/outbox";
import { newId, nowIso } from "../../platform/ids";
import { normaliseCardNumber } from "../../platform/card-number";
import { checkChargeAmount, decide } from "./card-processor";
import { PAYMENT_AGGREGATE, PAYMENT_EVENTS, type ChargeRequest, type Payment } from "./contract";
import * as schema from "./schema";
import { joinCommitBatch } from "../../platform/db/group-commit";

const { payments } = schema;
const COLUMNS =
  "id, order_id AS orderId, user_id AS userId, amount_cents AS amountCents, currency, status, card_last4 AS cardLast4, " +
  "decline_reason AS declineReason, created_at AS createdAt, updated_at AS updatedAt";
type PaymentValues = [string, string, string, number, string, Payment["status"], string, string | null, string, string];

/** Charges and refunds. Each change and its event commit in one synchronous transaction. */
export class PaymentService {
  // Prepared once on bun:sqlite itself (no ORM row mapping): every checkout runs these.
  private readonly byOrder;
  private readonly byId;
  private readonly insertPayment;

  constructor(
    private readonly sqlite: Database,
    private readonly db: BunSQLiteDatabase<typeof schema>,
    private readonly onEventsWritten: () => void = () => {},
  ) {
    this.byOrder = sqlite.query<Payment, [string]>(`SELECT ${COLUMNS} FROM payments WHERE order_id = ?`);
    this.byId = sqlite.query<Payment, [string]>(`SELECT ${COLUMNS} FROM payments WHERE id = ?`);
    this.insertPayment = sqlite.query<never, PaymentValues>(
      "INSERT INTO payments (id, order_id, user_id, amount_cents, currency, status, card_last4, decline_reason, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    );
  }

  charge(request: ChargeRequest): Payment {
    const card = normaliseCardNumber(request.cardNumber);
    checkChargeAmount(request.amountCents, request.currency);
    const payment = joinCommitBatch(this.sqlite, () => {
      const existing = this.findByOrder(request.orderId);
      if (existing) return { payment: existing, created: false };
      const decision = decide(card);
      const now = nowIso();
      const payment: Payment = {
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
      const p = payment;
      this.insertPayment.run(p.id, p.orderId, p.userId, p.amountCents, p.currency, p.status, p.cardLast4, p.declineReason, p.createdAt, p.updatedAt);
      appendToOutbox(this.sqlite, [
        { type: decision.approved ? PAYMENT_EVENTS.captured : PAYMENT_EVENTS.declined, aggregateType: PAYMENT_AGGREGATE, aggregateId: payment.id, payload: { payment } },
      ]);
      return { payment, created: true };
    }, "payment");
    if (payment.created) this.onEventsWritten();
    return payment.payment;
  }

  refund(orderId: string): Payment {
    const result = joinCommitBatch(this.sqlite, () => {
      const payment = this.findByOrder(orderId);
      if (!payment) throw notFound("Payment for order", orderId);
      if (payment.status === "REFUNDED") return { payment, changed: false };
      if (payment.status !== "CAPTURED") throw conflict("NOT_REFUNDABLE", `A ${payment.status} payment cannot be refunded`);
      const refunded: Payment = { ...payment, status: "REFUNDED", updatedAt: nowIso() };
      this.db.update(payments).set({ status: "REFUNDED", updatedAt: refunded.updatedAt }).where(eq(payments.id, payment.id)).run();
      appendToOutbox(this.sqlite, [{ type: PAYMENT_EVENTS.refunded, aggregateType: PAYMENT_AGGREGATE, aggregateId: payment.id, payload: { payment: refunded } }]);
      return { payment: refunded, changed: true };
    }, "payment");
    if (result.changed) this.onEventsWritten();
    return result.payment;
  }

  findByOrder(orderId: string): Payment | null {
    return this.byOrder.get(orderId) ?? null;
  }

  /** Owners see their own payments, operators (and services) see all; anyone else gets a 404, not a hint. */
  getFor(principal: Principal, id: string): Payment {
    const payment = this.byId.get(id);
    if (!payment || !canSee(principal, payment)) throw notFound("Payment", id);
    return payment;
  }

  listByOrderFor(principal: Principal, orderId: string): Payment[] {
    const rows = this.db.select().from(payments).where(eq(payments.orderId, orderId)).orderBy(desc(payments.id)).all();
    return rows.filter((p) => canSee(principal, p));
  }

  listMine(principal: Principal): Payment[] {
    return this.db.select().from(payments).where(and(eq(payments.userId, principal.userId))).orderBy(desc(payments.id)).limit(100).all();
  }
}

const canSee = (principal: Principal, payment: Payment) => principal.role !== "customer" || payment.userId === principal.userId;
