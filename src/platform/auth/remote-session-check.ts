import type { ServiceClient } from "../http/service-client";
import type { SessionCheck } from "./session-check";

/**
 * Split mode: a service has no identity database, so it asks the identity owner (the gateway,
 * IDENTITY_URL) over its internal route, with a service token. Wrapped in a CachedSessionCheck by
 * the caller. When the gateway cannot be reached the request fails with a 503 naming "identity":
 * a token is never accepted unchecked.
 */
export class RemoteSessionCheck implements SessionCheck {
  constructor(private readonly identity: ServiceClient) {}

  async isActive(sessionId: string, userId: string): Promise<boolean> {
    const answer = await this.identity.request<{ active?: unknown }>(
      "GET",
      `/internal/auth/sessions/${encodeURIComponent(sessionId)}?userId=${encodeURIComponent(userId)}`,
    );
    return answer?.active === true;
  }
}
