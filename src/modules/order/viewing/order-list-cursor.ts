import { badRequest } from "../../../platform/errors";
import { ORDER_STATUSES, type Order, type OrderSort, type SortDirection } from "../contract";

/**
 * Where a page of the order list ended, for keyset paging under any sort: the sort it was made
 * for and the last row's sort key. Opaque to clients (base64url JSON); a cursor made for another
 * sort, or one that was tampered with, is a 400 rather than a silently wrong page.
 */
export interface OrderListCursor {
  sort: OrderSort;
  dir: SortDirection;
  id: string;
  /** totalCents sort: the last row's currency and amount. */
  currency?: string;
  totalCents?: number;
  /** status sort: the last row's status. */
  status?: Order["status"];
}

const ID = /^[\w-]{1,64}$/;

export function encodeOrderCursor(sort: OrderSort, dir: SortDirection, last: Order): string {
  const cursor: OrderListCursor = { sort, dir, id: last.id };
  if (sort === "totalCents") Object.assign(cursor, { currency: last.currency, totalCents: last.totalCents });
  if (sort === "status") cursor.status = last.status;
  return Buffer.from(JSON.stringify(cursor), "utf8").toString("base64url");
}

export function decodeOrderCursor(raw: string | undefined, sort: OrderSort, dir: SortDirection): OrderListCursor | undefined {
  if (!raw) return undefined;
  const invalid = () => badRequest("Invalid cursor: pass back the nextCursor of a page with the same sort", { field: "cursor" });
  let cursor: Partial<OrderListCursor>;
  try {
    cursor = JSON.parse(Buffer.from(raw, "base64url").toString("utf8"));
  } catch {
    throw invalid();
  }
  if (!cursor || typeof cursor !== "object" || cursor.sort !== sort || cursor.dir !== dir || typeof cursor.id !== "string" || !ID.test(cursor.id)) {
    throw invalid();
  }
  if (sort === "totalCents" && (typeof cursor.currency !== "string" || cursor.currency.length > 8 || !Number.isSafeInteger(cursor.totalCents))) throw invalid();
  if (sort === "status" && !(ORDER_STATUSES as readonly unknown[]).includes(cursor.status)) throw invalid();
  return cursor as OrderListCursor;
}
