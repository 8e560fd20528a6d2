import { SignJWT, jwtVerify } from "jose";
import type { Principal, Role } from "./principal";
import type { SessionCheck } from "./session-check";

const ISSUER = "bun-shop";
const ROLES: readonly Role[] = ["customer", "operator", "service"];

export interface SignOptions {
  /** The session a user's token belongs to (its `jti`); a service token gets a random one. */
  sessionId?: string;
  /** Expiry in seconds since the epoch; default now + the configured lifetime. */
  expiresAt?: number;
  ttlSeconds?: number;
}

/**
 * Signs and verifies the HS256 JWTs that identify callers in both modes. A user's token is
 * accepted only while its session is live (SessionCheck: signed in, not signed out, account
 * enabled and existing); without a SessionCheck no user token is accepted. Service tokens (signed
 * by the shop's own processes with the shared secret) have no session.
 */
export class TokenService {
  private readonly key: Uint8Array;
  // Checking the signature of the same token again and again is the hot path of every request: cache briefly.
  private readonly cache = new Map<string, { principal: Principal; expiresAt: number }>();
  // A #private field: Elysia serialises a plugin's seed (guard.ts seeds with this service), and the
  // check can lead back here (a remote check signs its calls with this service).
  #sessions: SessionCheck | undefined;

  constructor(secret: string, readonly ttlSeconds: number, sessions?: SessionCheck) {
    this.key = new TextEncoder().encode(secret);
    this.#sessions = sessions;
  }

  /** For wiring where the check itself needs this service (a remote check signs its calls with it). */
  checkSessionsWith(sessions: SessionCheck): void {
    this.#sessions = sessions;
  }

  async sign(principal: Principal, opts: SignOptions = {}): Promise<string> {
    const expiresAt = opts.expiresAt ?? Math.floor(Date.now() / 1000) + (opts.ttlSeconds ?? this.ttlSeconds);
    return new SignJWT({ role: principal.role, username: principal.username })
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .setSubject(principal.userId)
      .setJti(opts.sessionId ?? crypto.randomUUID())
      .setIssuer(ISSUER)
      .setIssuedAt()
      .setExpirationTime(expiresAt)
      .sign(this.key);
  }

  /** Returns the principal, or null when the token is malformed, forged, expired or its session is not live. */
  async verify(token: string): Promise<Principal | null> {
    // The hot path (a token seen in the last minute, its session answer cached) awaits nothing.
    const cached = this.cache.get(token);
    const principal = cached && cached.expiresAt > Date.now() ? cached.principal : await this.verifySignature(token);
    if (!principal || principal.role === "service") return principal;
    if (!this.#sessions || !principal.sessionId) return null;
    const live = this.#sessions.isActive(principal.sessionId, principal.userId);
    return (typeof live === "boolean" ? live : await live) ? principal : null;
  }

  private async verifySignature(token: string): Promise<Principal | null> {
    try {
      const { payload } = await jwtVerify(token, this.key, { issuer: ISSUER, algorithms: ["HS256"] });
      const role = payload.role as Role;
      if (!payload.sub || typeof payload.username !== "string" || !ROLES.includes(role)) return null;
      const principal: Principal = { userId: payload.sub, username: payload.username, role };
      if (typeof payload.jti === "string") principal.sessionId = payload.jti;
      if (this.cache.size > 10_000) this.cache.clear();
      this.cache.set(token, { principal, expiresAt: Math.min((payload.exp ?? 0) * 1000, Date.now() + 60_000) });
      return principal;
    } catch {
      return null;
    }
  }
}
