/** Who is calling. `service` is another module calling on behalf of `actingFor` (split mode). */
export type Role = "customer" | "operator" | "service";

export interface Principal {
  userId: string;
  username: string;
  role: Role;
  /** The sign-in this token belongs to (its `jti`): what logout revokes. Service tokens have none. */
  sessionId?: string;
}
