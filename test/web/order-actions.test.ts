// The dashboard keeps one small table of its own, what an operator may do in each status; this
// test holds it to the server's state machine. (The status list itself is the contract's.)
import { expect, test } from "bun:test";
import { ORDER_STATUSES, ORDER_TRANSITIONS, type OrderStatus } from "../../src/modules/order";
import { ACTIONS_BY_STATUS } from "../../web/src/state/order-actions";

const canMove = (from: OrderStatus, to: OrderStatus) => ORDER_TRANSITIONS[from].includes(to);

test("an action is offered exactly when the state machine allows its move; finished orders offer none", () => {
  for (const status of ORDER_STATUSES) {
    const actions = ACTIONS_BY_STATUS[status];
    expect({ status, ship: actions.includes("ship") }).toEqual({ status, ship: canMove(status, "SHIPPED") });
    expect({ status, deliver: actions.includes("deliver") }).toEqual({ status, deliver: canMove(status, "DELIVERED") });
    expect({ status, cancel: actions.includes("cancel") }).toEqual({ status, cancel: canMove(status, "CANCELLED") });
  }
  expect(ACTIONS_BY_STATUS.DELIVERED).toEqual([]);
  expect(ACTIONS_BY_STATUS.CANCELLED).toEqual([]);
});
