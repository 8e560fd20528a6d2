import { t } from "elysia";
import { JsonInteger } from "../../platform/http/json-integer";
import { CheckedOutLine, MAX_LINE_QUANTITY } from "./contract";

// What the routes read from the path and the bodies; the cart they answer is the contract's Cart.

const productId = CheckedOutLine.properties.productId;
const quantity = JsonInteger({ minimum: 1, maximum: MAX_LINE_QUANTITY, description: `1 to ${MAX_LINE_QUANTITY}` });

export const AddItem = t.Object({ productId, quantity }, { additionalProperties: false });
export const SetQuantity = t.Object({ quantity }, { additionalProperties: false });
export const ProductParam = t.Object({ productId });

export const UserParam = t.Object({ userId: t.String({ minLength: 1, maxLength: 64 }) });

export const CheckedOutBody = t.Object(
  { orderId: t.String({ minLength: 1, maxLength: 64 }), lines: t.Array(CheckedOutLine, { maxItems: 100 }) },
  { additionalProperties: false },
);
