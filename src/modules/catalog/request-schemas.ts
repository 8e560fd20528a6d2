import { t } from "elysia";
import { CleanText } from "../../platform/http/clean-text";
import { PageCursor, PageLimit } from "../../platform/http/cursor";
import { RecordId } from "../../platform/http/record-id";
import { StockLine } from "./contract";

// What the routes read from the path, the query and the internal bodies; the shapes a client sends
// or gets back (Product, NewProduct, ProductChanges, ProductPage) are the contract's.

export const ProductId = t.Object({ id: RecordId() });

export const ProductListQuery = t.Object({
  q: t.Optional(CleanText({ maxLength: 100, description: "words of the name or description" })),
  category: t.Optional(CleanText({ maxLength: 64 })),
  limit: t.Optional(PageLimit),
  cursor: t.Optional(PageCursor(200, "nextCursor of the previous page, as it came")),
});

export const ReserveBody = t.Object(
  { reservationId: t.String({ minLength: 1, maxLength: 64 }), lines: t.Array(StockLine, { minItems: 1, maxItems: 100 }) },
  { additionalProperties: false },
);

export const SummariesQuery = t.Object({ ids: t.String({ maxLength: 100 * 65 }) });
