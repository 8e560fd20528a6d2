import { SignJWT, jwtVerify } from "jose";
import type { Principal, Role } from "./principal";

const ISSUER = "bun-shop";
const ROLES: readonly Role[] = ["customer", "operator", "service"];

/** Signs and verifies the HS256 JWTs that identify callers in both modes. */
export class TokenService {
  private readonly key: Uint8Array;
  // Verifying the same token again and again is the hot path of every request: cache briefly.
  private readonly cache = new Map<string, { principal: Principal; expiresAt: number }>();

  constructor(secret: string, private readonly ttlSeconds: number) {
    this.key = new TextEncoder().encode(secret);
  }

  async sign(principal: Principal, ttlSeconds = this.ttlSeconds): Promise<string> {
    return new SignJWT({ role: principal.role, username: principal.username })
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .setSubject(principal.userId)
      .setIssuer(ISSUER)
      .setIssuedAt()
      .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds)
      .sign(this.key);
  }

  /** Returns the principal, or null when the token is malformed, forged or expired. */
  async verify(token: string): Promise<Principal | null> {
    const now = Date.now();
    const cached = this.cache.get(token);
    if (cached && cached.expiresAt > now) return cached.principal;
    try {
      const { payload } = await jwtVerify(token, this.key, { issuer: ISSUER, algorithms: ["HS256"] });
      const role = payload.role as Role;
      if (!payload.sub || typeof payload.username !== "string" || !ROLES.includes(role)) return null;
      const principal: Principal = { userId: payload.sub, username: payload.username, role };
      if (this.cache.size > 10_000) this.cache.clear();
      this.cache.set(token, { principal, expiresAt: Math.min((payload.exp ?? 0) * 1000, now + 60_000) });
      return principal;
    } catch {
      return null;
    }
  }
}
