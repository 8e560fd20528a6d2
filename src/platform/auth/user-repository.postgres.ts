import type { SQL } from "bun";
import { PostgresTable } from "../db/postgres/table.postgres";
import { users } from "./identity-postgres-schema";
import type { UserRepository, UserRow } from "./user-repository";

const t = new PostgresTable(users);

/** UserRepository on PostgreSQL (Bun SQL): single statements, each its own transaction. The unique username refuses a second account. */
export class PostgresUserRepository implements UserRepository {
  constructor(private readonly sql: SQL) {}

  async insert(user: UserRow): Promise<boolean> {
    return (await this.sql.unsafe(`${t.insert()} ON CONFLICT DO NOTHING`, t.values(user, t.keys()))).count > 0;
  }

  async byUsername(username: string): Promise<UserRow | undefined> {
    const [row] = await this.sql.unsafe(`SELECT ${t.select()} FROM ${t.name} WHERE ${t.column("username")} = $1`, [username]);
    return row;
  }

  async setDisabledAt(id: string, at: string | null): Promise<Pick<UserRow, "id" | "username" | "role"> | undefined> {
    const [row] = await this.sql.unsafe(`UPDATE ${t.name} SET ${t.column("disabledAt")} = $2 WHERE ${t.column("id")} = $1 RETURNING ${t.select(["id", "username", "role"])}`, [id, at]);
    return row;
  }
}
