import { t } from "elysia";
import { badRequest } from "../errors";

// Opaque cursors: clients pass back what they got, and cannot depend on what is inside.
export const encodeCursor = (id: string) => Buffer.from(id, "utf8").toString("base64url");

export function decodeCursor(cursor: string | undefined): string | undefined {
  if (!cursor) return undefined;
  const id = Buffer.from(cursor, "base64url").toString("utf8");
  if (!/^[\w-]{1,64}$/.test(id)) throw badRequest("Invalid cursor", { field: "cursor" });
  return id;
}

/** The `cursor` of a paged list: what the previous page's nextCursor said, passed back as it came. */
export const PageCursor = (maxLength: number, description: string) =>
  t.String({ maxLength, pattern: "^[\\w-]*$", description, error: "must be the nextCursor of a previous page, as it came" });

/** How many items one page holds (`limit` of every paged list). */
export const PageLimit = t.Integer({ minimum: 1, maximum: 100, default: 20, description: "items per page" });
