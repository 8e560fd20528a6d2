import { describe, expect, test } from "bun:test";
import type { Cart, CartApi } from "../../src/modules/cart";
import type { CatalogApi, ReservationResult } from "../../src/modules/catalog";
import type { Order } from "../../src/modules/order";
import type { IdempotencyRecord, OrderRepository, PlacedResult } from "../../src/modules/order/order-repository";
import { CheckoutSaga } from "../../src/modules/order/placing/checkout-saga";
import { CheckoutIdempotency } from "../../src/modules/order/placing/idempotency";
import { singleProcessClaims } from "../../src/modules/order/settling/checkout-claims";
import type { PaidOrderCancellation } from "../../src/modules/order/settling/cancel-paid-order";
import { CheckoutRecovery } from "../../src/modules/order/settling/checkout-recovery";
import type { ChargeRequest, Payment, PaymentApi } from "../../src/modules/payment";
import type { Principal } from "../../src/platform/auth/principal";
import { AppError, DependencyUnavailableError } from "../../src/platform/errors";
import { createLogger } from "../../src/platform/logger";

// A unit test of the saga's step order against in-memory fakes of the contracts it calls (no
// database, no HTTP, no process). The real modules are exercised by test/checkout/*.

const CARD = "4242424242424242";
const principal: Principal = { userId: "u-1", username: "ada", role: "customer" };
const cart: Cart = {
  items: [{ productId: "p-1", name: "Lamp", unitPriceCents: 1200, currency: "EUR", quantity: 2, lineTotalCents: 2400 }],
  totalCents: 2400,
  currency: "EUR",
  checkoutRevision: 0,
};

type Charge = (request: ChargeRequest) => Promise<Payment>;

const payment = (request: ChargeRequest, status: Payment["status"]): Payment => ({
  id: `pay-${request.orderId}`,
  orderId: request.orderId,
  userId: request.userId,
  amountCents: request.amountCents,
  currency: request.currency,
  status,
  cardLast4: request.cardNumber.slice(-4),
  declineReason: status === "DECLINED" ? "card_declined" : null,
  createdAt: "2026-01-01T00:00:00.000Z",
  updatedAt: "2026-01-01T00:00:00.000Z",
});

/** The saga wired to fakes that write every call, in order, to `steps`. */
function checkoutWith(options: { reserve?: (id: string) => ReservationResult; charge?: Charge; findByOrder?: (orderId: string) => Promise<Payment | null> } = {}) {
  const steps: string[] = [];
  const orders = new Map<string, Order>();
  const keys = new Map<string, IdempotencyRecord>();
  const repository: OrderRepository = {
    async get(id) {
      steps.push("orders.get");
      return orders.get(id);
    },
    async standing(id) {
      const o = orders.get(id);
      return o && { id: o.id, status: o.status, paymentId: o.paymentId };
    },
    async placePending(order, _revision, key): Promise<PlacedResult> {
      steps.push("orders.placePending");
      if (keys.has(`${key.userId}/${key.key}`)) return { placed: false, keyTaken: true };
      orders.set(order.id, order);
      keys.set(`${key.userId}/${key.key}`, key);
      return { placed: true };
    },
    async update(id, change) {
      const next = change(orders.get(id)!);
      if (next) orders.set(id, next);
      steps.push(`orders.update -> ${orders.get(id)!.status}`);
      return orders.get(id)!;
    },
    async markCancelRequested() {
      throw new Error("not part of a checkout");
    },
    async updateUnlessCancelling() {
      throw new Error("not part of a checkout");
    },
    async list() {
      throw new Error("not part of a checkout");
    },
    async unfinished() {
      throw new Error("not part of a checkout");
    },
    async findKey(userId, key) {
      steps.push("orders.findKey");
      return keys.get(`${userId}/${key}`);
    },
    async writesOnDisk() {
      steps.push("orders.writesOnDisk");
    },
  };
  const cartApi: CartApi = {
    async getCart() {
      steps.push("cart.getCart");
      return cart;
    },
    async checkedOut() {
      steps.push("cart.checkedOut");
    },
  };
  const catalog: CatalogApi = {
    async getProducts() {
      throw new Error("not part of a checkout");
    },
    async reserveStock(id) {
      steps.push("catalog.reserveStock");
      return options.reserve ? options.reserve(id) : { ok: true, reservationId: id };
    },
    async releaseStock() {
      steps.push("catalog.releaseStock");
    },
  };
  const payments: PaymentApi = {
    async charge(request) {
      steps.push("payments.charge");
      return options.charge ? options.charge(request) : payment(request, "CAPTURED");
    },
    async refund() {
      throw new Error("not part of a checkout");
    },
    async findByOrder(orderId) {
      steps.push("payments.findByOrder");
      if (!options.findByOrder) throw new Error("not part of a checkout");
      return options.findByOrder(orderId);
    },
  };
  const saga = new CheckoutSaga({
    orders: repository,
    cart: cartApi,
    catalog,
    payments,
    idempotency: new CheckoutIdempotency("test-secret"),
    claims: singleProcessClaims,
    log: createLogger("silent"),
  });
  return { saga, steps, orders, deps: { orders: repository, cart: cartApi, catalog, payments } };
}

describe("checkout saga: step order", () => {
  test("paid: the PENDING order is on disk before stock moves, stock before money, and the cart is cleared last", async () => {
    const { saga, steps } = checkoutWith();
    const outcome = await saga.place(principal, "key-1", { cardNumber: "4242 4242 4242 4242" });
    expect(outcome.ending).toBe("PAID");
    expect(outcome.order.paymentId).toBe(`pay-${outcome.order.id}`);
    expect(steps).toEqual([
      "orders.findKey",
      "cart.getCart",
      "orders.placePending",
      "orders.writesOnDisk",
      "catalog.reserveStock",
      "payments.charge",
      "orders.update -> PAID",
      "cart.checkedOut",
    ]);
  });

  test("out of stock: cancelled before any charge", async () => {
    const { saga, steps } = checkoutWith({ reserve: () => ({ ok: false, reason: "INSUFFICIENT_STOCK", productId: "p-1", requested: 2, available: 1 }) });
    const outcome = await saga.place(principal, "key-1", { cardNumber: CARD });
    expect(outcome.ending).toBe("CANCELLED");
    expect(outcome.order.failureReason).toBe("Out of stock: Lamp (requested 2, available 1)");
    expect(steps).toEqual(["orders.findKey", "cart.getCart", "orders.placePending", "orders.writesOnDisk", "catalog.reserveStock", "orders.update -> CANCELLED"]);
  });

  test("declined: the stock is given back before the order ends PAYMENT_FAILED, and the cart keeps its lines", async () => {
    const { saga, steps } = checkoutWith({ charge: async (request) => payment(request, "DECLINED") });
    const outcome = await saga.place(principal, "key-1", { cardNumber: CARD });
    expect(outcome.ending).toBe("PAYMENT_FAILED");
    expect(steps.slice(4)).toEqual(["catalog.reserveStock", "payments.charge", "catalog.releaseStock", "orders.update -> PAYMENT_FAILED"]);
  });

  test("refused by the payment module (a 4xx): compensated like a decline", async () => {
    const { saga, steps } = checkoutWith({
      charge: async () => {
        throw new AppError(422, "AMOUNT_OUT_OF_BOUNDS", "refused");
      },
    });
    const outcome = await saga.place(principal, "key-1", { cardNumber: CARD });
    expect(outcome.ending).toBe("PAYMENT_FAILED");
    expect(outcome.order.failureReason).toBe("refused");
    expect(steps.slice(5)).toEqual(["payments.charge", "catalog.releaseStock", "orders.update -> PAYMENT_FAILED"]);
  });

  test("payment unreachable: the order stays PENDING with its stock held, and a retry continues at the charge", async () => {
    let down = true;
    const { saga, steps, orders } = checkoutWith({
      charge: async (request) => {
        if (down) throw new DependencyUnavailableError("payment", "connection refused");
        return payment(request, "CAPTURED");
      },
    });
    await expect(saga.place(principal, "key-1", { cardNumber: CARD })).rejects.toBeInstanceOf(DependencyUnavailableError);
    expect(steps.slice(4)).toEqual(["catalog.reserveStock", "payments.charge"]);
    expect([...orders.values()].map((o) => o.status)).toEqual(["PENDING"]);

    down = false;
    steps.length = 0;
    const outcome = await saga.place(principal, "key-1", { cardNumber: CARD });
    expect(outcome.ending).toBe("PAID");
    // The retry finds its key, reads the order and runs the remaining steps (reserving again is idempotent per order id).
    expect(steps).toEqual(["orders.findKey", "orders.get", "orders.get", "orders.writesOnDisk", "catalog.reserveStock", "payments.charge", "orders.update -> PAID", "cart.checkedOut"]);
  });

  test("a settled checkout replayed with its key answers the first ending and moves nothing", async () => {
    const { saga, steps } = checkoutWith();
    const first = await saga.place(principal, "key-1", { cardNumber: CARD });
    steps.length = 0;
    const again = await saga.place(principal, "key-1", { cardNumber: CARD });
    expect(again).toEqual({ ending: "PAID", order: first.order });
    expect(steps).toEqual(["orders.findKey", "orders.get"]);
  });

  test("the same key with another card is refused before anything else is read", async () => {
    const { saga, steps } = checkoutWith();
    await saga.place(principal, "key-1", { cardNumber: CARD });
    steps.length = 0;
    await expect(saga.place(principal, "key-1", { cardNumber: "5555555555554444" })).rejects.toMatchObject({ status: 422, code: "IDEMPOTENCY_KEY_REUSED" });
    expect(steps).toEqual(["orders.findKey"]);
  });
});

describe("recovery and a retry of the same checkout in one process", () => {
  // Found by test/split/random-kills.e2e.test.ts: a restarted order service's sweep settled a PENDING
  // order (no payment yet: give the stock back, cancel) while the customer's retry of it ran the
  // saga (reserve again, charge, PAID). The retry won the order, the sweep had already released its
  // stock: a paid order whose units were back on sale. The settlement and the saga now take turns.
  test("a retry that arrives while recovery settles the order waits for it, and never charges an order whose stock went back", async () => {
    let paymentDown = true;
    let paymentAnswers!: () => void;
    const answered = new Promise<void>((resolve) => (paymentAnswers = resolve));
    const { saga, steps, orders, deps } = checkoutWith({
      charge: async (request) => {
        if (paymentDown) throw new DependencyUnavailableError("payment", "connection refused");
        return payment(request, "CAPTURED");
      },
      findByOrder: async () => {
        await answered; // the payment module is slow to say it has no payment for this order
        return null;
      },
    });
    await expect(saga.place(principal, "key-1", { cardNumber: CARD })).rejects.toBeInstanceOf(DependencyUnavailableError);
    const [pending] = [...orders.values()];
    expect(pending!.status).toBe("PENDING"); // stock held, never charged
    paymentDown = false;

    const recovery = new CheckoutRecovery({ ...deps, saga, paidCancellation: {} as PaidOrderCancellation, claims: singleProcessClaims, log: createLogger("silent") });
    steps.length = 0;
    const settling = recovery.settleIfFree(pending!);
    await Bun.sleep(5); // recovery is waiting for the payment module's answer
    const retry = saga.place(principal, "key-1", { cardNumber: CARD });
    await Bun.sleep(5);
    paymentAnswers();
    const [settled, outcome] = await Promise.all([settling, retry]);

    expect(settled?.status).toBe("CANCELLED");
    expect(outcome.ending).toBe("CANCELLED"); // the retry answers what recovery made of the order
    expect(steps).not.toContain("payments.charge");
    expect(steps.filter((s) => s === "catalog.releaseStock")).toHaveLength(1);
    expect(orders.get(pending!.id)!.status).toBe("CANCELLED");
  });

  test("recovery leaves an order alone while this process's saga runs it", async () => {
    let chargeAnswers!: () => void;
    const charged = new Promise<void>((resolve) => (chargeAnswers = resolve));
    const { saga, steps, orders, deps } = checkoutWith({
      charge: async (request) => {
        await charged;
        return payment(request, "CAPTURED");
      },
      findByOrder: async () => null,
    });
    const placing = saga.place(principal, "key-1", { cardNumber: CARD });
    await Bun.sleep(5); // the saga waits for its charge
    const [pending] = [...orders.values()];
    const recovery = new CheckoutRecovery({ ...deps, saga, paidCancellation: {} as PaidOrderCancellation, claims: singleProcessClaims, log: createLogger("silent") });
    expect(await recovery.settleIfFree(pending!)).toBeUndefined();
    chargeAnswers();
    expect((await placing).ending).toBe("PAID");
    expect(steps).not.toContain("catalog.releaseStock");
  });
});
