import type { Principal } from "../../../platform/auth/principal";
import { AppError, unprocessable } from "../../../platform/errors";
import { crashPoint } from "../../../platform/crash-points";
import { writesOnDisk } from "../../../platform/db/group-commit";
import { nowIso } from "../../../platform/ids";
import { checkoutOutcomes } from "../../../platform/observability/metrics";
import type { Logger } from "../../../platform/logger";
import type { CartApi } from "../../cart";
import type { CatalogApi } from "../../catalog";
import type { PaymentApi } from "../../payment";
import { normaliseCardNumber } from "../../../platform/card-number";
import type { Order } from "../contract";
import type { OrderStore } from "../order-store";
import { moveOrder } from "../order-status";
import { chargePayment, declineReason } from "./charge-payment.step";
import { clearCheckedOutLines } from "./clear-cart.step";
import { settledStatusCode, statusCodeFor, type CheckoutOutcome } from "./checkout-outcome";
import { checkCart, type ExpectedTotal } from "./check-cart.step";
import { cartAlreadyOrdered, pendingOrderFromCart } from "./create-pending-order.step";
import { releaseStock, reservationFailureReason, reserveStock } from "./reserve-stock.step";

const OUTCOME: Partial<Record<Order["status"], string>> = { PAID: "paid", PAYMENT_FAILED: "payment_failed", CANCELLED: "out_of_stock" };

/** A checkout's body: the card, and optionally the total the customer saw (see check-cart.step.ts). */
export interface CheckoutRequest extends ExpectedTotal {
  cardNumber: string;
}

export interface CheckoutDeps {
  store: OrderStore;
  cart: CartApi;
  catalog: CatalogApi;
  payments: PaymentApi;
  log: Logger;
  /** Keys the HMAC of request bodies, so the stored hash reveals nothing about a card number. */
  hashSecret: string;
}

/**
 * The checkout of DESIGN.md, orchestrated here: check the cart, snapshot it into a PENDING order,
 * reserve all lines, charge, then PAID; or compensate (release stock) and end in
 * CANCELLED / PAYMENT_FAILED. Every step is idempotent and keyed by the order id, so a
 * retried request, a duplicate in flight or a restart just continues where the order is.
 * Checkouts of one cart under different keys do not each run: the order records the cart's
 * checkout revision, and the database lets one live order hold it (create-pending-order.step.ts).
 * No step runs inside a database transaction: each state change is its own short one, and
 * commits (group commit, platform/db/transaction.ts) before the next step reaches another module.
 */
export class CheckoutSaga {
  /** Checkouts running in this process, so duplicates join them instead of racing. */
  private readonly inFlight = new Map<string, Promise<Order>>();

  constructor(private readonly deps: CheckoutDeps) {}

  isRunning(orderId: string): boolean {
    return this.inFlight.has(orderId);
  }

  async place(principal: Principal, idempotencyKey: string, request: CheckoutRequest): Promise<CheckoutOutcome> {
    const card = normaliseCardNumber(request.cardNumber); // a malformed card changes nothing
    const requestHash = this.hash(card, request);
    const { repo } = this.deps.store;

    const known = repo.findKey(principal.userId, idempotencyKey);
    if (known) return this.replay(known, requestHash, card);

    const snapshot = await this.deps.cart.getCart(principal.userId);
    const cart = checkCart(snapshot, request); // empty, mixed currencies, another total, out-of-bounds amount: nothing created

    const order = pendingOrderFromCart(principal, cart);
    const created = this.deps.store.create(order, cart.checkoutRevision, () =>
      repo.claimKey(principal.userId, idempotencyKey, requestHash, order.id, nowIso()),
    );
    if (!created.created) {
      // Another request with this key won the race: answer what it answers.
      if ("keyTaken" in created) return this.replay(repo.findKey(principal.userId, idempotencyKey)!, requestHash, card);
      throw cartAlreadyOrdered(created.heldBy);
    }
    return this.finish(await this.run(order.id, card, order));
  }

  /**
   * Continues an unfinished PENDING checkout (used by retries; recovery has no card and compensates
   * instead). `created`: the order as this turn just wrote it, which spares reading it back.
   */
  run(orderId: string, card: string, created?: Order): Promise<Order> {
    const running = this.inFlight.get(orderId);
    if (running) return running;
    const promise = this.advance(orderId, card, created).finally(() => this.inFlight.delete(orderId));
    this.inFlight.set(orderId, promise);
    return promise;
  }

  private async replay(key: { requestHash: string; orderId: string }, requestHash: string, card: string): Promise<CheckoutOutcome> {
    if (key.requestHash !== requestHash) {
      throw unprocessable("IDEMPOTENCY_KEY_REUSED", "This Idempotency-Key was used with a different request body", { header: "Idempotency-Key" });
    }
    // Settled before this request: the first answer again (and no second count of the outcome).
    const current = this.deps.store.repo.get(key.orderId)!;
    const answered = settledStatusCode(current);
    if (answered !== undefined) return { status: answered, order: current };
    return this.finish(await this.run(key.orderId, card));
  }

  /** The answer to the request that ran the checkout (OrderStore recorded it for replays). */
  private finish(order: Order): CheckoutOutcome {
    const status = statusCodeFor(order);
    checkoutOutcomes.inc({ outcome: OUTCOME[order.status] ?? "pending" });
    return { status, order };
  }

  private async advance(orderId: string, card: string, created?: Order): Promise<Order> {
    const { store, catalog, payments, log } = this.deps;
    const order = created ?? store.repo.get(orderId)!;
    if (order.status !== "PENDING") return order;
    await writesOnDisk(); // the PENDING order is on disk before any stock moves: recovery can always find it
    crashPoint("checkout.after-create");

    const reservation = await reserveStock(catalog, order);
    if (!reservation.ok) {
      log.info("checkout cancelled: stock", { orderId, reason: reservation.reason });
      return store.update(orderId, (o) => (o.status === "PENDING" ? moveOrder(o, "CANCELLED", reservationFailureReason(o, reservation)) : null));
    }

    crashPoint("checkout.after-reserve");
    let payment;
    try {
      payment = await chargePayment(payments, order, card);
    } catch (error) {
      // A 4xx from the processor is final; anything else (503, timeout) leaves the order PENDING
      // with its stock held, for the client's retry or the recovery sweep to settle.
      if (error instanceof AppError && error.status < 500) {
        await releaseStock(catalog, order);
        return store.update(orderId, (o) => (o.status === "PENDING" ? moveOrder(o, "PAYMENT_FAILED", error.message) : null));
      }
      throw error;
    }

    crashPoint("checkout.after-charge");
    if (payment.status === "CAPTURED") {
      const paid = store.update(orderId, (o) => (o.status === "PENDING" ? { ...moveOrder(o, "PAID"), paymentId: payment.id } : null));
      await clearCheckedOutLines(this.deps.cart, paid, log);
      return paid;
    }
    await releaseStock(catalog, order);
    log.info("checkout payment failed", { orderId, reason: payment.declineReason });
    return store.update(orderId, (o) => (o.status === "PENDING" ? { ...moveOrder(o, "PAYMENT_FAILED", declineReason(payment)), paymentId: payment.id } : null));
  }

  /** Fields are added only when sent, so a body without the expectations hashes as it always did. */
  private hash(card: string, { expectedTotalCents, expectedCurrency }: ExpectedTotal): string {
    const body = { cardNumber: card, ...(expectedTotalCents !== undefined && { expectedTotalCents }), ...(expectedCurrency !== undefined && { expectedCurrency }) };
    return new Bun.CryptoHasher("sha256", this.deps.hashSecret).update(JSON.stringify(body)).digest("hex");
  }
}
