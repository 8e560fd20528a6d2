/** Who is calling. `service` is another module calling on behalf of `actingFor` (split mode). */
export type Role = "customer" | "operator" | "service";

export interface Principal {
  userId: string;
  username: string;
  role: Role;
}
