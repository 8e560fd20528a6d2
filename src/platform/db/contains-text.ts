/** The LIKE pattern for "contains `text`", taken literally: `%` and `_` typed by a user are characters (use with ESCAPE '\'). */
export const containsPattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
