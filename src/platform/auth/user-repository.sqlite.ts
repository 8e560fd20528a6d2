import type { Database } from "bun:sqlite";
import { SqliteTable } from "../db/table.sqlite";
import type { UserRepository, UserRow } from "./user-repository";
import { users } from "./users-schema";

const table = new SqliteTable(users);

/** UserRepository on bun:sqlite: single statements, each its own (autocommitted) transaction. */
export class SqliteUserRepository implements UserRepository {
  private readonly insertUser;
  private readonly byName;
  private readonly setDisabled;

  constructor(sqlite: Database) {
    this.insertUser = sqlite.query(`${table.insert()} ON CONFLICT DO NOTHING`);
    this.byName = sqlite.query<UserRow, [string]>(`SELECT ${table.select()} FROM ${table.name} WHERE ${table.column("username")} = ?`);
    this.setDisabled = sqlite.query<Pick<UserRow, "id" | "username" | "role">, [{ id: string; disabledAt: string | null }]>(
      `UPDATE ${table.name} SET ${table.assign(["disabledAt"])} WHERE ${table.column("id")} = $id RETURNING ${table.select(["id", "username", "role"])}`,
    );
  }

  async insert(user: UserRow): Promise<boolean> {
    return this.insertUser.run(table.params(user, table.keys())).changes > 0;
  }

  async byUsername(username: string): Promise<UserRow | undefined> {
    return this.byName.get(username) ?? undefined;
  }

  async setDisabledAt(id: string, at: string | null): Promise<Pick<UserRow, "id" | "username" | "role"> | undefined> {
    return this.setDisabled.get({ id, disabledAt: at }) ?? undefined;
  }
}
