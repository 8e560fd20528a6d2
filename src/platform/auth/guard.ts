import { Elysia } from "elysia";
import { forbidden, unauthorized } from "../errors";
import type { Principal, Role } from "./principal";
import type { TokenService } from "./tokens";

export const bearerSecurity = [{ bearerAuth: [] as string[] }];

/** The token of an `Authorization: Bearer <token>` header; the scheme is case-insensitive (RFC 9110) and spaces around are allowed. */
export function bearerToken(header: string | undefined | null): string | undefined {
  const match = header ? /^\s*bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match?.[1];
}

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
    const token = bearerToken(headers.authorization);
    if (!token) throw unauthorized("Missing bearer token");
    const principal: Principal | null = await tokens.verify(token);
    if (!principal) throw unauthorized("Invalid, expired or revoked token");
    if (!allowed[role].includes(principal.role)) throw forbidden(`This route is for ${role}s`);
    return { principal };
  });
}
