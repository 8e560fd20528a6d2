import { t } from "elysia";
import { JsonInteger } from "../../platform/http/json-integer";
import { MAX_LINE_QUANTITY } from "./contract";

const productId = t.String({ minLength: 1, maxLength: 64, pattern: "^[\\w-]+$" });
const quantity = JsonInteger({ minimum: 1, maximum: MAX_LINE_QUANTITY, description: `1 to ${MAX_LINE_QUANTITY}` });

export const AddItem = t.Object({ productId, quantity }, { additionalProperties: false });
export const SetQuantity = t.Object({ quantity }, { additionalProperties: false });
export const ProductParam = t.Object({ productId });

export const Cart = t.Object({
  items: t.Array(
    t.Object({
      productId: t.String(),
      name: t.String(),
      unitPriceCents: JsonInteger({ description: "the catalog's price now: a cart is priced live" }),
      currency: t.String(),
      quantity: JsonInteger(),
      lineTotalCents: JsonInteger(),
    }),
  ),
  totalCents: t.Union([JsonInteger(), t.Null()], {
    description: "null when the lines are in more than one currency (a product's currency changed after it was added): remove the odd lines to check out",
  }),
  currency: t.String({ description: "one currency per cart: adding a product in another is a 409 CURRENCY_MISMATCH" }),
  checkoutRevision: JsonInteger({ description: "bumped each time an order's lines leave the cart; one live order per revision" }),
});

export const UserParam = t.Object({ userId: t.String({ minLength: 1, maxLength: 64 }) });

export const CheckedOutBody = t.Object(
  { orderId: t.String({ minLength: 1, maxLength: 64 }), lines: t.Array(t.Object({ productId, quantity: JsonInteger({ minimum: 1 }) }), { maxItems: 100 }) },
  { additionalProperties: false },
);
