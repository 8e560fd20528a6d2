import { t } from "elysia";
import { MAX_LINE_QUANTITY } from "./contract";

const productId = t.String({ minLength: 1, maxLength: 64, pattern: "^[\\w-]+$" });
const quantity = t.Integer({ minimum: 1, maximum: MAX_LINE_QUANTITY, description: `1 to ${MAX_LINE_QUANTITY}` });

export const AddItem = t.Object({ productId, quantity }, { additionalProperties: false });
export const SetQuantity = t.Object({ quantity }, { additionalProperties: false });
export const ProductParam = t.Object({ productId });

export const Cart = t.Object({
  items: t.Array(
    t.Object({ productId: t.String(), name: t.String(), unitPriceCents: t.Integer(), quantity: t.Integer(), lineTotalCents: t.Integer() }),
  ),
  totalCents: t.Integer(),
  currency: t.String(),
});

export const UserParam = t.Object({ userId: t.String({ minLength: 1, maxLength: 64 }) });

export const CheckedOutBody = t.Object(
  { orderId: t.String({ minLength: 1, maxLength: 64 }), lines: t.Array(t.Object({ productId, quantity: t.Integer({ minimum: 1 }) }), { maxItems: 100 }) },
  { additionalProperties: false },
);
