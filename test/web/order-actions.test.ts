// The dashboard keeps two small tables of its own (it imports only types from the server); these
// tests hold them to the server's state machine.
import { expect, test } from "bun:test";
import { ORDER_STATUSES, ORDER_TRANSITIONS, type OrderStatus } from "../../src/modules/order";
import { STATUS_ORDER } from "../../web/src/format";
import { ACTIONS_BY_STATUS } from "../../web/src/state/order-actions";

const canMove = (from: OrderStatus, to: OrderStatus) => ORDER_TRANSITIONS[from].includes(to);

test("statuses in the server's lifecycle order", () => {
  expect([...STATUS_ORDER]).toEqual([...ORDER_STATUSES]);
});

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
