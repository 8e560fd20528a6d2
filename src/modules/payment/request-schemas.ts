import { t } from "elysia";
import { ChargeRequest } from "./contract";

// What the routes read from the path and the query; the bodies and answers are the contract's
// (ChargeRequest, Payment).

const id = ChargeRequest.properties.orderId;

export const PaymentId = t.Object({ id });
export const OrderIdQuery = t.Object({ orderId: t.Optional(id) });
export const OrderIdParam = t.Object({ orderId: id });
