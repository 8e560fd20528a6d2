import { or, sql, type SQL, type SQLWrapper } from "drizzle-orm";

/** The LIKE pattern for "contains `text`", taken literally: `%` and `_` typed by a user are characters. */
export const containsPattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Case-insensitive match of a containsPattern (a value or a placeholder) against any of the columns. */
export function matchesAny(columns: SQLWrapper[], pattern: SQLWrapper | string): SQL {
  return or(...columns.map((column) => sql`${column} LIKE ${pattern} ESCAPE '\\'`))!;
}
