import { Elysia, t } from "elysia";
import { requireRole } from "./guard";
import type { Identity } from "./identity";
import type { TokenService } from "./tokens";

/**
 * For the services of split mode, which verify tokens themselves but have no identity database:
 * is this session live? Answered from the database (never from this process's cache): callers
 * cache the answer themselves for TOKEN_CHECK_CACHE_MS. Service tokens only; not in the OpenAPI document.
 */
export const identityInternalRoutes = (identity: Identity, tokens: TokenService) =>
  new Elysia({ prefix: "/internal/auth" }).use(requireRole(tokens, "service")).get(
    "/sessions/:sessionId",
    async ({ params, query }) => ({ active: await identity.sessions.isActive(params.sessionId, query.userId) }),
    {
      params: t.Object({ sessionId: t.String({ minLength: 1, maxLength: 64 }) }),
      query: t.Object({ userId: t.String({ minLength: 1, maxLength: 128 }) }),
      response: t.Object({ active: t.Boolean() }),
    },
  );
