import { FormatRegistry } from "@sinclair/typebox";

/**
 * Query and path integers are decimal digits, with an optional minus sign. Elysia reads such text
 * with `+value`, so `limit=0x10`, `1e1`, `+5`, `0b11` and ` 5` were all taken as numbers (16, 10,
 * 5, 3, 5): text no client meant as a count got a page instead of a 422. Elysia registers its
 * "integer" format only when none is there; this one replaces it for the whole process.
 */
const DECIMAL = /^-?[0-9]{1,16}$/;
FormatRegistry.Set("integer", (value) => DECIMAL.test(value) && Number.isSafeInteger(Number(value)));
