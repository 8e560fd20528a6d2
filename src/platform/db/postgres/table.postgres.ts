import { getTableColumns, getTableName, type Column, type InferSelectModel, type Table } from "drizzle-orm";

type Row<T extends Table> = InferSelectModel<T>;
export type PgColumnKey<T extends Table> = keyof Row<T> & string;

/**
 * The SQL pieces of one table for Bun SQL statements, written from its drizzle pg-core schema (the
 * PostgreSQL twin of table.sqlite.ts): select lists that return rows keyed and typed as the domain
 * has them (timestamptz as the ISO-8601 UTC text the SQLite files hold, int8 as a number, jsonb
 * parsed), positional parameters in the order of the keys given, jsonb written from JSON text.
 */
export class PostgresTable<T extends Table> {
  /** The quoted table name (unqualified: the connection's search_path is the module's schema). */
  readonly name: string;
  private readonly columns: Record<string, Column>;

  constructor(table: T) {
    this.name = quote(getTableName(table));
    this.columns = getTableColumns(table) as Record<string, Column>;
  }

  keys(): PgColumnKey<T>[] {
    return Object.keys(this.columns) as PgColumnKey<T>[];
  }

  column(key: PgColumnKey<T>): string {
    const column = this.columns[key];
    if (!column) throw new Error(`${this.name} has no column for ${key}`);
    return quote(column.name);
  }

  /** `"user_id" AS "userId", …`, each column read back in its domain form (`prefix`: a table alias). */
  select(keys: readonly PgColumnKey<T>[] = this.keys(), prefix = ""): string {
    return keys.map((key) => `${readAs(this.sqlType(key), `${prefix}${this.column(key)}`)} AS ${quote(key)}`).join(", ");
  }

  /** `INSERT INTO "t" ("a", "b") VALUES ($1, $2)`, placeholders from `first`. */
  insert(keys: readonly PgColumnKey<T>[] = this.keys(), first = 1): string {
    return `INSERT INTO ${this.name} (${keys.map((k) => this.column(k)).join(", ")}) VALUES (${keys.map((k, i) => this.placeholder(k, first + i)).join(", ")})`;
  }

  /** `"a" = $2, "b" = $3`, for an UPDATE's SET, placeholders from `first`. */
  assign(keys: readonly PgColumnKey<T>[], first = 1): string {
    return keys.map((key, i) => `${this.column(key)} = ${this.placeholder(key, first + i)}`).join(", ");
  }

  /** `$n`, cast where the parameter travels as text (jsonb). */
  placeholder(key: PgColumnKey<T>, n: number): string {
    // ::text first: a parameter the server types as jsonb, Bun would encode again as a JSON string.
    return this.sqlType(key) === "jsonb" ? `$${n}::text::jsonb` : `$${n}`;
  }

  /** The parameters for these keys, in order: jsonb as JSON text, undefined as null. */
  values(values: Partial<Row<T>>, keys: readonly PgColumnKey<T>[]): unknown[] {
    return keys.map((key) => {
      const value = (values as Record<string, unknown>)[key] ?? null;
      return value !== null && this.sqlType(key) === "jsonb" ? JSON.stringify(value) : value;
    });
  }

  private sqlType(key: PgColumnKey<T>): string {
    return (this.columns[key] as Column & { getSQLType(): string }).getSQLType();
  }
}

/** A column read in the form the domain keeps it (the SQLite repositories return the same). */
function readAs(sqlType: string, expression: string): string {
  if (sqlType.startsWith("timestamp")) return isoText(expression);
  if (sqlType === "bigint") return `${expression}::float8`;
  return expression;
}

/** A timestamptz as ISO-8601 UTC with milliseconds, exactly as `new Date().toISOString()` writes it. */
export const isoText = (expression: string) => `to_char(${expression} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

const quote = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`;
