import { errorBody } from "../errors";
import type { Logger } from "../logger";
import { SECURITY_HEADERS } from "./security-headers";

/**
 * The answer to an error that escaped every handler (Bun.serve's `error` option): a 500 in the
 * shop's error shape, logged; the process goes on serving. Never throws itself.
 */
export function lastResortErrorResponse(log: Logger, error: unknown): Response {
  try {
    log.error("error escaped the HTTP handlers", { err: error });
  } catch {
    /* a failing log line must not turn into a second escaped error */
  }
  return new Response(JSON.stringify(errorBody("INTERNAL", "Internal server error")), {
    status: 500,
    headers: { ...SECURITY_HEADERS, "content-type": "application/json;charset=utf-8" },
  });
}
