import { timestamp } from "drizzle-orm/pg-core";

/**
 * A moment, as PostgreSQL's timestamptz at millisecond precision: what a JS Date and the ISO
 * strings the domain passes around hold, so a value read back equals the one written (a cursor
 * built from it compares equal). The default microseconds of now() would not.
 */
export const instant = (name: string) => timestamp(name, { withTimezone: true, precision: 3, mode: "string" });
