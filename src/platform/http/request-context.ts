import { Elysia } from "elysia";
import type { Logger } from "../logger";
import { newId } from "../ids";

const SAFE_ID = /^[\w.:-]{1,128}$/;

/**
 * Gives each request an id (kept from `x-request-id` when a caller sends a sane one), echoes it
 * in the response, and logs one structured line per request with its duration.
 */
export const requestContext = (log: Logger) =>
  new Elysia({ name: "platform.request-context" })
    .derive({ as: "global" }, ({ request, set }) => {
      const incoming = request.headers.get("x-request-id");
      const requestId = incoming && SAFE_ID.test(incoming) ? incoming : newId();
      set.headers["x-request-id"] = requestId;
      return { requestId, startedAt: performance.now() };
    })
    .onAfterResponse({ as: "global" }, (ctx) => {
      const { request, set } = ctx;
      const { requestId, startedAt } = ctx as unknown as { requestId?: string; startedAt?: number };
      log.info("request", {
        requestId,
        method: request.method,
        path: new URL(request.url).pathname,
        status: typeof set.status === "number" ? set.status : 200,
        ms: startedAt ? Math.round((performance.now() - startedAt) * 100) / 100 : undefined,
      });
    });
