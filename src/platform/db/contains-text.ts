import { or, sql, type SQL, type SQLWrapper } from "drizzle-orm";

/**
 * Case-insensitive "contains" over some columns, with the user's text taken literally:
 * `%` and `_` in a search box are characters, not LIKE wildcards.
 */
export function containsText(text: string, columns: SQLWrapper[]): SQL {
  const pattern = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return or(...columns.map((column) => sql`${column} LIKE ${pattern} ESCAPE '\\'`))!;
}
