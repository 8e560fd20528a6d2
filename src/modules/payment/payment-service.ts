import type { Database } from "bun:sqlite";
import { and, desc, eq, sql } from "drizzle-orm";
import type { BunSQLiteDatabase } from "drizzle-orm/bun-sqlite";
import type { Principal } from "../../platform/auth/principal";
import { conflict, notFound } from "../../platform/errors";
import { appendToOutbox } from "../../platform/events/outbox";
import { newId, nowIso } from "../../platform/ids";
import { decide, normaliseCardNumber } from "./card-processor";
import { PAYMENT_AGGREGATE, PAYMENT_EVENTS, type ChargeRequest, type Payment } from "./contract";
import * as schema from "./schema";
import { inTransaction } from "../../platform/db/transaction";

const { payments } = schema;
const PAYMENT_COLUMNS = ["id", "orderId", "userId", "amountCents", "currency", "status", "cardLast4", "declineReason", "createdAt", "updatedAt"] as const;

/** Charges and refunds. Each change and its event commit in one synchronous transaction. */
export class PaymentService {
  // Prepared once: every checkout runs these.
  private readonly byOrder;
  private readonly byId;
  private readonly insertPayment;

  constructor(
    private readonly sqlite: Database,
    private readonly db: BunSQLiteDatabase<typeof schema>,
    private readonly onEventsWritten: () => void = () => {},
  ) {
    const param = sql.placeholder;
    this.byOrder = db.select().from(payments).where(eq(payments.orderId, param("orderId"))).prepare();
    this.byId = db.select().from(payments).where(eq(payments.id, param("id"))).prepare();
    this.insertPayment = db
      .insert(payments)
      .values(Object.fromEntries(PAYMENT_COLUMNS.map((c) => [c, param(c)])) as Record<(typeof PAYMENT_COLUMNS)[number], ReturnType<typeof param>>)
      .prepare();
  }

  charge(request: ChargeRequest): Payment {
    const card = normaliseCardNumber(request.cardNumber);
    const payment = inTransaction(this.sqlite, () => {
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
      this.insertPayment.run({ ...payment });
      appendToOutbox(this.sqlite, [
        { type: decision.approved ? PAYMENT_EVENTS.captured : PAYMENT_EVENTS.declined, aggregateType: PAYMENT_AGGREGATE, aggregateId: payment.id, payload: { payment } },
      ]);
      return { payment, created: true };
    }, "payment");
    if (payment.created) this.onEventsWritten();
    return payment.payment;
  }

  refund(orderId: string): Payment {
    const result = inTransaction(this.sqlite, () => {
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
    return this.byOrder.get({ orderId }) ?? null;
  }

  /** Owners see their own payments, operators (and services) see all; anyone else gets a 404, not a hint. */
  getFor(principal: Principal, id: string): Payment {
    const payment = this.byId.get({ id });
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
