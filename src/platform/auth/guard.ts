import { Elysia } from "elysia";
import { forbidden, unauthorized } from "../errors";
import type { Principal, Role } from "./principal";
import type { TokenService } from "./tokens";

export const bearerSecurity = [{ bearerAuth: [] as string[] }];

/**
 * Resolves the caller before the body is validated, so a stranger gets 401 and a customer on an
 * operator route gets 403 whatever they sent. `customer` routes accept any signed-in user;
 * `operator` routes accept operators (and services acting for the system).
 */
export function requireRole(tokens: TokenService, role: "customer" | "operator" | "service") {
  const allowed: Record<typeof role, Role[]> = {
    customer: ["customer", "operator", "service"],
    operator: ["operator", "service"],
    service: ["service"],
  };
  return new Elysia({ name: `platform.require-${role}`, seed: tokens }).derive({ as: "scoped" }, async ({ headers }) => {
    const header = headers.authorization;
    if (!header?.startsWith("Bearer ")) throw unauthorized("Missing bearer token");
    const principal: Principal | null = await tokens.verify(header.slice(7).trim());
    if (!principal) throw unauthorized("Invalid or expired token");
    if (!allowed[role].includes(principal.role)) throw forbidden(`This route is for ${role}s`);
    return { principal };
  });
}

