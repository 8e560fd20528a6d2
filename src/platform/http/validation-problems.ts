import type { ValidationError } from "elysia";

export interface ValidationProblems {
  /** body, query, headers, params */
  where: string;
  problems: Array<{ field: string; message: string }>;
}

type ValueError = { path?: string; schema?: Record<string, unknown>; summary?: unknown; message?: unknown; value?: unknown };

/** Field name from a TypeBox error path ("/items/0/quantity" -> "items.0.quantity"). */
const fieldOf = (path: string | undefined) => (path ? path.replace(/^\//, "").replace(/\//g, ".") : "");

/** "an integer from 1 to 100", from an integer schema's bounds. */
function integerExpected(schema: Record<string, unknown> | undefined): string {
  const min = typeof schema?.minimum === "number" ? schema.minimum : undefined;
  const max = typeof schema?.maximum === "number" ? schema.maximum : undefined;
  if (min !== undefined && max !== undefined) return `must be an integer from ${min} to ${max}`;
  if (min !== undefined) return `must be an integer of at least ${min}`;
  if (max !== undefined) return `must be an integer of at most ${max}`;
  return "must be an integer";
}

/** Elysia's integer for query text: `string (format integer) | integer`, its bounds on the union. */
const isTextInteger = (schema: Record<string, unknown> | undefined) =>
  Array.isArray(schema?.anyOf) && schema.anyOf.some((s: { format?: string }) => s?.format === "integer");

/** The values of a union of literals (LiteralUnion, t.Union of t.Literal), else undefined. */
function literalsOf(schema: Record<string, unknown> | undefined): unknown[] | undefined {
  const branches = schema?.anyOf;
  if (!Array.isArray(branches) || !branches.every((b: { const?: unknown }) => b && "const" in b)) return undefined;
  return branches.map((b: { const: unknown }) => b.const);
}

/** What a field must be, in words: the schema's own message (`error`, as CleanText sets it), its integer range (query text or JSON) or its values. */
function ruleOf(e: ValueError): string | undefined {
  if (typeof e.schema?.error === "string") return e.schema.error;
  if (isTextInteger(e.schema) || e.schema?.type === "integer") return integerExpected(e.schema);
  const literals = literalsOf(e.schema);
  return literals && `must be one of: ${literals.join(", ")}`;
}

/** The refusal of one field; an absent one is said to be missing, not to be too short or not one of the values. */
function messageOf(e: ValueError): string {
  const rule = ruleOf(e);
  if (!rule) return e.summary ? String(e.summary) : String(e.message);
  return e.value === undefined && e.path ? `is missing; it ${rule}` : rule;
}

/**
 * What a 422 says about a refused request: where, and each field with what it must be.
 *
 * Elysia checks a query integer's range only after it turned the text into a number, and that
 * refusal comes as a "property" error without a path: such an error is the query's (the only
 * text this shop decodes into numbers), and its field is the parameter whose text has that value.
 */
export function validationProblems(v: ValidationError, request: Request): ValidationProblems {
  if (v.type === "property" && typeof v.value === "number") {
    const query = new URL(request.url).searchParams;
    const fields = [...new Set([...query].filter(([, text]) => text.trim() !== "" && Number(text) === v.value).map(([key]) => key))];
    const schema = (v.all[0] as ValueError | undefined)?.schema; // the integer with its bounds
    return { where: "query", problems: (fields.length ? fields : ["query"]).map((field) => ({ field, message: integerExpected(schema) })) };
  }
  return {
    where: v.type,
    problems: v.all.map((e) => ({ field: fieldOf((e as ValueError).path) || v.type, message: messageOf(e as ValueError) })),
  };
}
