import { DOCUMENTED_AS } from "./clean-text";

/**
 * The schemas of a generated document, written as other tools read them (a client generator, a
 * fuzzer): what the server checks, said in plain JSON Schema.
 *
 * - Elysia's t.Integer and t.Numeric convert query and path text to numbers, and document
 *   themselves as `anyOf: [{ type: string, format: integer }, { type: integer }]`, which says any
 *   string is welcome. A query or path value is always text on the wire, and what the server
 *   accepts is an integer written in it: OpenAPI says so with `type: integer`. Such an anyOf
 *   becomes its numeric branch (bounds and default kept).
 * - CleanText's runtime pattern (counting characters, refusing lone surrogates) becomes its
 *   documented form: minLength, maxLength and the pattern of refused characters.
 * - A pattern is run by JavaScript without the `u` flag, where \w and \d are ASCII; in the
 *   document they are spelled out, since other regex engines (Python's, Rust's) read them as
 *   Unicode classes and would offer "é" where the server refuses it.
 * - A schema's `error` (the message of its refusals) is the server's, not the document's.
 */
export function documentedSchemas<T>(document: T): T {
  return rewrite(document) as T;
}

function rewrite(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rewrite);
  if (!value || typeof value !== "object") return value;
  let node = value as Record<string, unknown>;
  const numeric = textualNumber(node);
  if (numeric) {
    const { anyOf: _, ...outer } = node;
    node = { ...outer, ...numeric };
  }
  if (node.type === "string") {
    const { [DOCUMENTED_AS]: documented, error: _, ...rest } = node;
    node = documented && typeof documented === "object" ? { ...rest, ...documented } : rest;
    if (typeof node.pattern === "string") node = { ...node, pattern: asciiClasses(node.pattern) };
  }
  return Object.fromEntries(Object.entries(node).map(([key, child]) => [key, rewrite(child)]));
}

/** The numeric branch of a string-or-number anyOf, or undefined when `node` is not one. */
function textualNumber(node: Record<string, unknown>): Record<string, unknown> | undefined {
  const branches = node.anyOf;
  if (!Array.isArray(branches) || branches.length !== 2) return undefined;
  const text = branches.find((b) => b?.type === "string" && (b.format === "integer" || b.format === "numeric"));
  const number = branches.find((b) => b?.type === "integer" || b?.type === "number");
  return text && number ? (number as Record<string, unknown>) : undefined;
}

const ASCII: Record<string, [inClass: string, alone: string]> = {
  w: ["A-Za-z0-9_", "[A-Za-z0-9_]"],
  d: ["0-9", "[0-9]"],
};

/** `pattern` with \w and \d written as the ASCII ranges JavaScript gives them. */
function asciiClasses(pattern: string): string {
  let out = "";
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "\\") {
      const next = pattern[i + 1] ?? "";
      const ascii = ASCII[next];
      out += ascii ? ascii[inClass ? 0 : 1] : c + next;
      i++;
    } else {
      if (c === "[") inClass = true;
      else if (c === "]") inClass = false;
      out += c;
    }
  }
  return out;
}
