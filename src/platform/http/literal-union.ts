import { Type, type SchemaOptions, type TLiteral, type TUnion } from "@sinclair/typebox";

type Literals<T extends readonly string[]> = { -readonly [K in keyof T]: TLiteral<T[K]> };

/**
 * A union of literals built from one const list, typed as that list's union, so a list declared
 * once (ORDER_STATUSES) gives both the runtime check and the type. Literals, not t.UnionEnum:
 * Elysia fills an optional UnionEnum query field with its first value.
 */
export function LiteralUnion<T extends readonly string[]>(values: T, options?: SchemaOptions): TUnion<Literals<T>> {
  return Type.Union(
    values.map((v) => Type.Literal(v)),
    options,
  ) as unknown as TUnion<Literals<T>>;
}
