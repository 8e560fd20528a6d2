import { t } from "elysia";
import { CleanText } from "../../platform/http/clean-text";
import { JsonInteger } from "../../platform/http/json-integer";

// Request and response schemas: each field says what it accepts, and the error names the field.

const name = CleanText({ minLength: 1, maxLength: 200 });
const description = CleanText({ maxLength: 5000, multiline: true });
const category = t.String({ minLength: 1, maxLength: 64, pattern: "^[a-z0-9][a-z0-9-]*$", description: "lower-case slug" });
const priceCents = JsonInteger({ minimum: 0, maximum: 100_000_000, description: "price in minor units (cents)" });
const currency = t.String({ pattern: "^[A-Z]{3}$", description: "ISO-4217 code" });
const stock = JsonInteger({ minimum: 0, maximum: 1_000_000 });
const imageUrl = t.Union([t.String({ format: "uri", maxLength: 2048 }), t.Null()]);

export const ProductId = t.Object({ id: t.String({ minLength: 1, maxLength: 64, pattern: "^[\\w-]+$" }) });

export const Product = t.Object({
  id: t.String(),
  name: t.String(),
  description: t.String(),
  category: t.String(),
  priceCents: JsonInteger(),
  currency: t.String(),
  stock: JsonInteger(),
  imageUrl: t.Union([t.String(), t.Null()]),
  createdAt: t.String(),
  updatedAt: t.String(),
});

export const NewProduct = t.Object(
  { name, description: t.Optional(description), category, priceCents, currency, stock, imageUrl: t.Optional(imageUrl) },
  { additionalProperties: false },
);

export const ProductChanges = t.Object(
  {
    name: t.Optional(name),
    description: t.Optional(description),
    category: t.Optional(category),
    priceCents: t.Optional(priceCents),
    currency: t.Optional(currency),
    stock: t.Optional(stock),
    imageUrl: t.Optional(imageUrl),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const ProductListQuery = t.Object({
  q: t.Optional(CleanText({ maxLength: 100, description: "words of the name or description" })),
  category: t.Optional(CleanText({ maxLength: 64 })),
  limit: t.Optional(t.Integer({ minimum: 1, maximum: 100, default: 20 })),
  cursor: t.Optional(t.String({ maxLength: 200, pattern: "^[\\w-]*$", description: "nextCursor of the previous page, as it came" })),
});

export const ProductPage = t.Object({ items: t.Array(Product), nextCursor: t.Union([t.String(), t.Null()]) });

const line = t.Object({ productId: t.String({ minLength: 1, maxLength: 64 }), quantity: JsonInteger({ minimum: 1, maximum: 1000 }) });

export const ReserveBody = t.Object(
  { reservationId: t.String({ minLength: 1, maxLength: 64 }), lines: t.Array(line, { minItems: 1, maxItems: 100 }) },
  { additionalProperties: false },
);

export const SummariesQuery = t.Object({ ids: t.String({ maxLength: 100 * 65 }) });
