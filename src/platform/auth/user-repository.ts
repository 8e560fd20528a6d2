import type { users } from "./users-schema";

export type UserRow = typeof users.$inferSelect;

/** The accounts table of the identity database, reached one way. SQLite: user-repository.sqlite.ts. */
export interface UserRepository {
  /** Adds the account; false (nothing written) when its username is taken. */
  insert(user: UserRow): Promise<boolean>;
  byUsername(username: string): Promise<UserRow | undefined>;
  /** Sets or clears when the account was disabled; the account, or undefined when there is none. */
  setDisabledAt(id: string, at: string | null): Promise<Pick<UserRow, "id" | "username" | "role"> | undefined>;
}
