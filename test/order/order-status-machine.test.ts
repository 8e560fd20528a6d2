import { describe, expect, test } from "bun:test";
import { ORDER_STATUSES, ORDER_TRANSITIONS, type Order, type OrderStatus } from "../../src/modules/order";
import { canMove, moveOrder } from "../../src/modules/order/order-status-machine";
import { AppError } from "../../src/platform/errors";

// A unit test of the aggregate's status machine: no database, no HTTP.

const order = (status: OrderStatus): Order => ({
  id: "o-1",
  userId: "u-1",
  username: "ada",
  status,
  items: [{ productId: "p-1", name: "Lamp", unitPriceCents: 1200, quantity: 1, lineTotalCents: 1200 }],
  totalCents: 1200,
  currency: "EUR",
  paymentId: null,
  failureReason: null,
  history: [{ status: "PENDING", at: "2026-01-01T00:00:00.000Z" }],
  createdAt: "2026-01-01T00:00:00.000Z",
  updatedAt: "2026-01-01T00:00:00.000Z",
});

describe("order status machine", () => {
  test("the moves a checkout and an operator make are allowed, nothing else", () => {
    const allowed = ORDER_STATUSES.flatMap((from) => ORDER_STATUSES.filter((to) => canMove(from, to)).map((to) => `${from}->${to}`));
    expect(allowed.sort()).toEqual(
      ["PENDING->PAID", "PENDING->CANCELLED", "PENDING->PAYMENT_FAILED", "PAID->SHIPPED", "PAID->CANCELLED", "SHIPPED->DELIVERED"].sort(),
    );
  });

  test("the endings are final", () => {
    for (const ending of ["DELIVERED", "CANCELLED", "PAYMENT_FAILED"] as const) expect(ORDER_TRANSITIONS[ending]).toEqual([]);
  });

  test("a move is recorded in the history, with its reason, and sets the failure reason only for a failed ending", () => {
    const failed = moveOrder(order("PENDING"), "PAYMENT_FAILED", "Payment declined by the card issuer");
    expect(failed.status).toBe("PAYMENT_FAILED");
    expect(failed.failureReason).toBe("Payment declined by the card issuer");
    expect(failed.history.map((h) => [h.status, h.reason])).toEqual([
      ["PENDING", undefined],
      ["PAYMENT_FAILED", "Payment declined by the card issuer"],
    ]);
    expect(failed.updatedAt).toBe(failed.history[1]!.at);

    const paid = moveOrder(order("PENDING"), "PAID");
    expect(paid.failureReason).toBeNull();
    expect(paid.history.at(-1)).toEqual({ status: "PAID", at: paid.updatedAt });
  });

  test("the order passed in is left as it was (the repository writes the copy)", () => {
    const before = order("PENDING");
    moveOrder(before, "PAID");
    expect(before.status).toBe("PENDING");
    expect(before.history).toHaveLength(1);
  });

  test("an illegal move is a 409 ILLEGAL_TRANSITION naming what is allowed", () => {
    let thrown: unknown;
    try {
      moveOrder(order("SHIPPED"), "CANCELLED");
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(AppError);
    const error = thrown as AppError;
    expect(error.status).toBe(409);
    expect(error.code).toBe("ILLEGAL_TRANSITION");
    expect(error.details).toEqual({ from: "SHIPPED", to: "CANCELLED", allowed: ["DELIVERED"] });
  });
});
