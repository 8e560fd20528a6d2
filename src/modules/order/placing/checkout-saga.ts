import type { Principal } from "../../../platform/auth/principal";
import { normaliseCardNumber } from "../../../platform/card-number";
import { crashPoint } from "../../../platform/crash-points";
import { AppError } from "../../../platform/errors";
import type { Logger } from "../../../platform/logger";
import { checkoutOutcomes } from "../../../platform/observability/metrics";
import type { CartApi } from "../../cart";
import type { CatalogApi } from "../../catalog";
import type { PaymentApi } from "../../payment";
import type { Order } from "../contract";
import type { IdempotencyRecord, OrderRepository } from "../order-repository";
import { moveOrder } from "../order-status-machine";
import type { CheckoutClaims } from "../settling/checkout-claims";
import { chargePayment } from "./charge-payment.step";
import { checkCart, type ExpectedTotal } from "./check-cart.step";
import { endingNow, settledEnding, type CheckoutEnding, type CheckoutOutcome } from "./checkout-outcome";
import { cartAlreadyOrdered, createPendingOrder, pendingOrderFromCart } from "./create-pending-order.step";
import type { CheckoutBody, CheckoutIdempotency } from "./idempotency";
import { reservationFailureReason, reserveStock } from "./reserve-stock.step";
import { settleOrder, verdictOf } from "./settle-order.step";

/** The checkouts_total metric's label for each ending. */
const OUTCOME_LABEL: Record<CheckoutEnding, string> = { PAID: "paid", PAYMENT_FAILED: "payment_failed", CANCELLED: "out_of_stock", PENDING: "pending" };

/** A checkout's body: the card, and optionally the total the customer saw (see check-cart.step.ts). */
export interface CheckoutRequest extends ExpectedTotal {
  cardNumber: string;
}

export interface CheckoutDeps {
  orders: OrderRepository;
  cart: CartApi;
  catalog: CatalogApi;
  payments: PaymentApi;
  idempotency: CheckoutIdempotency;
  /** Keeps a checkout to one process at a time across replicas (checkout-claims.ts). */
  claims: CheckoutClaims;
  log: Logger;
}

/** Longer than a checkout takes (its calls time out in seconds), shorter than a client's patience. */
const OTHER_REPLICA_WAIT_MS = 10_000;

/**
 * The checkout of DESIGN.md, orchestrated here, one step per file with its compensation beside it:
 * check the cart, snapshot it into a PENDING order, reserve all lines, charge, then settle: PAID,
 * or compensate (release the stock) and end PAYMENT_FAILED / CANCELLED. Every step is idempotent
 * and keyed by the order id, so a retried request, a duplicate in flight or a restart just
 * continues where the order is. Checkouts of one cart under different keys do not each run: the
 * order records the cart's checkout revision, and the database lets one live order hold it.
 * No step runs inside a database transaction: each state change is its own short unit of work,
 * on disk before the next step reaches another module. Returns how the checkout ended; routes.ts
 * says it in HTTP.
 */
export class CheckoutSaga {
  /** Checkouts running in this process, so duplicates join them instead of racing. */
  private readonly inFlight = new Map<string, Promise<Order>>();

  constructor(private readonly deps: CheckoutDeps) {}

  async place(principal: Principal, idempotencyKey: string, request: CheckoutRequest): Promise<CheckoutOutcome> {
    const { orders, idempotency } = this.deps;
    const body = { ...request, cardNumber: normaliseCardNumber(request.cardNumber) }; // a malformed card changes nothing
    const known = await orders.findKey(principal.userId, idempotencyKey);
    if (known) return this.replay(known, body);

    const cart = checkCart(await this.deps.cart.getCart(principal.userId), request); // empty, mixed currencies, another total, out-of-bounds amount: nothing created
    const order = pendingOrderFromCart(principal, cart);
    const key = idempotency.claim(principal.userId, idempotencyKey, body, order.id);
    // Claimed before the order exists, so no other replica's sweep can take it between its creation and its run.
    const claimed = await this.deps.claims.exclusive(order.id, async () => {
      const placed = await createPendingOrder(orders, order, cart.checkoutRevision, key);
      return placed.placed ? { settled: await this.joined(order.id, () => this.advance(order.id, body.cardNumber, order)) } : placed;
    });
    if (!claimed.ran) throw new Error(`checkout ${order.id}: its new order's claim is held elsewhere`); // a 64-bit key: never in practice
    const placed = claimed.value;
    if ("settled" in placed) return this.finish(placed.settled);
    if ("heldBy" in placed) throw cartAlreadyOrdered(placed.heldBy);
    // Another request with this key won the race: answer what it answers.
    return this.replay((await orders.findKey(principal.userId, idempotencyKey))!, body);
  }

  /**
   * Continues an unfinished PENDING checkout (used by retries; recovery has no card and settles
   * instead). `created`: the order as this request just wrote it, which spares reading it back.
   */
  run(orderId: string, card: string, created?: Order): Promise<Order> {
    // Another replica running it (a retry landed elsewhere) or settling it: runClaimed waits for its result.
    return this.joined(orderId, () => this.runClaimed(orderId, card, created));
  }

  /**
   * Runs `settle` (recovery's, a cancellation's) as this process's only runner of the order: not at
   * all, answering undefined, while a checkout or another settlement of it runs here. A retry of the
   * checkout that arrives meanwhile joins it and answers the order as `settle` left it, instead of
   * charging an order whose stock `settle` may be giving back.
   */
  async settleAlone(orderId: string, settle: () => Promise<Order | undefined>): Promise<Order | undefined> {
    if (this.inFlight.has(orderId)) return undefined;
    let settled: Order | undefined;
    await this.joined(orderId, async () => (settled = await settle()) ?? (await this.deps.orders.get(orderId))!);
    return settled;
  }

  /** Runs `work` for the order unless this process already runs it: then the same promise (duplicates join). */
  private joined(orderId: string, work: () => Promise<Order>): Promise<Order> {
    const running = this.inFlight.get(orderId);
    if (running) return running;
    const promise = work().finally(() => this.inFlight.delete(orderId));
    this.inFlight.set(orderId, promise);
    return promise;
  }

  /**
   * Runs the checkout holding its claim. When another replica holds it (a retry landed elsewhere,
   * or recovery is settling it), waits for that one's result, for OTHER_REPLICA_WAIT_MS at most,
   * so that every retry gets the same answer as the first request; if that replica dies meanwhile,
   * its claim is free and this one finishes the checkout. Still running at the deadline: PENDING
   * (202, retry later).
   */
  private async runClaimed(orderId: string, card: string, created?: Order): Promise<Order> {
    const deadline = Date.now() + OTHER_REPLICA_WAIT_MS;
    for (let pause = 20; ; pause = Math.min(pause * 2, 250)) {
      const claimed = await this.deps.claims.exclusive(orderId, () => this.advance(orderId, card, created));
      if (claimed.ran) return claimed.value;
      const now = (await this.deps.orders.get(orderId))!;
      if (now.status !== "PENDING" || Date.now() >= deadline) return now;
      await Bun.sleep(pause);
      created = undefined; // moved since: read it again
    }
  }

  /** A key seen before: the same body gets the first answer again, or continues the checkout; another body is a 422. */
  private async replay(known: IdempotencyRecord, body: CheckoutBody): Promise<CheckoutOutcome> {
    this.deps.idempotency.checkSameRequest(known, body);
    const current = (await this.deps.orders.get(known.orderId))!;
    // Settled before this request: the first answer again (and no second count of the outcome).
    const answered = settledEnding(current);
    if (answered) return { ending: answered, order: current };
    return this.finish(await this.run(known.orderId, body.cardNumber));
  }

  /** The answer to the request that ran the checkout. */
  private finish(order: Order): CheckoutOutcome {
    const ending = endingNow(order);
    checkoutOutcomes.inc({ outcome: OUTCOME_LABEL[ending] });
    return { ending, order };
  }

  private async advance(orderId: string, card: string, created?: Order): Promise<Order> {
    const { orders, catalog, payments, log } = this.deps;
    const order = created ?? (await orders.get(orderId))!;
    if (order.status !== "PENDING") return order;
    await orders.writesOnDisk(); // the PENDING order is on disk before any stock moves: recovery can always find it
    crashPoint("checkout.after-create");

    const reservation = await reserveStock(catalog, order);
    if (!reservation.ok) {
      log.info("checkout cancelled: stock", { orderId, reason: reservation.reason });
      return orders.update(orderId, (o) => (o.status === "PENDING" ? moveOrder(o, "CANCELLED", reservationFailureReason(o, reservation)) : null));
    }

    crashPoint("checkout.after-reserve");
    let payment;
    try {
      payment = await chargePayment(payments, order, card);
    } catch (error) {
      // A 4xx from the processor is final; anything else (503, timeout) leaves the order PENDING
      // with its stock held, for the client's retry or the recovery sweep to settle.
      if (error instanceof AppError && error.status < 500) return settleOrder(this.deps, order, { failed: error.message, paymentId: null });
      throw error;
    }

    crashPoint("checkout.after-charge");
    if (payment.status !== "CAPTURED") log.info("checkout payment failed", { orderId, reason: payment.declineReason });
    return settleOrder(this.deps, order, verdictOf(payment));
  }
}
