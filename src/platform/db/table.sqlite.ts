import { Column, getTableColumns, getTableName, type InferSelectModel, type Table } from "drizzle-orm";

type Row<T extends Table> = InferSelectModel<T>;
/** Named parameters as bun:sqlite binds them. */
export type Bindings = Record<string, string | number | bigint | boolean | null>;
export type ColumnKey<T extends Table> = keyof Row<T> & string;

/**
 * The SQL pieces of one table for bun:sqlite statements, written from its drizzle schema, the one
 * definition of its columns: select lists that return rows keyed as the schema names them, named
 * parameters (`$userId`, bound from `{ userId }` on connections opened with `strict: true`), and
 * the conversions of columns stored in another form (JSON text). Repositories prepare their
 * statements from these once; nothing keeps a column list by hand.
 */
export class SqliteTable<T extends Table> {
  /** The quoted table name, for FROM and INTO. */
  readonly name: string;
  private readonly columns: Record<string, Column>;
  /** Columns whose stored form differs from their value (drizzle maps them: JSON, booleans, timestamps). */
  private readonly converted: Array<[string, Column]>;

  constructor(table: T) {
    this.name = quote(getTableName(table));
    this.columns = getTableColumns(table) as Record<string, Column>;
    const identity = Column.prototype.mapFromDriverValue;
    this.converted = Object.entries(this.columns).filter(([, column]) => column.mapFromDriverValue !== identity);
  }

  /** `"user_id" AS "userId", …` for these keys, in this order (default: every column). */
  select(keys: readonly ColumnKey<T>[] = this.keys()): string {
    return keys.map((key) => `${this.column(key)} AS ${quote(key)}`).join(", ");
  }

  /** `INSERT INTO "t" ("a", "b") VALUES ($a, $b)` for these keys. */
  insert(keys: readonly ColumnKey<T>[] = this.keys()): string {
    return `INSERT INTO ${this.name} (${keys.map((k) => this.column(k)).join(", ")}) VALUES (${keys.map((k) => `$${k}`).join(", ")})`;
  }

  /** `"a" = $a, "b" = $b`, for an UPDATE's SET. */
  assign(keys: readonly ColumnKey<T>[]): string {
    return keys.map((key) => `${this.column(key)} = $${key}`).join(", ");
  }

  /** The quoted column of a key, for WHERE and ORDER BY. */
  column(key: ColumnKey<T>): string {
    const column = this.columns[key];
    if (!column) throw new Error(`${this.name} has no column for ${key}`);
    return quote(column.name);
  }

  /** A row read through select(), its stored forms turned back into values (in place). */
  fromRow<R extends Partial<Row<T>>>(row: R): R {
    for (const [key, column] of this.converted) {
      const stored = (row as Record<string, unknown>)[key];
      if (stored !== undefined && stored !== null) (row as Record<string, unknown>)[key] = column.mapFromDriverValue(stored);
    }
    return row;
  }

  /** Named parameters for these keys, taken from `values`, in their stored forms. */
  params(values: Partial<Row<T>>, keys: readonly ColumnKey<T>[]): Bindings {
    const params: Record<string, unknown> = {};
    for (const key of keys) params[key] = (values as Record<string, unknown>)[key] ?? null;
    for (const [key, column] of this.converted) {
      if (key in params && params[key] !== null) params[key] = column.mapToDriverValue(params[key]);
    }
    return params as Bindings;
  }

  keys(): ColumnKey<T>[] {
    return Object.keys(this.columns) as ColumnKey<T>[];
  }
}

const quote = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`;
