import { Elysia, ValidationError } from "elysia";
import { AppError, errorBody } from "../errors";
import { writesOnDisk } from "../db/group-commit";
import type { Logger } from "../logger";
import { pathOf } from "./request-target";
import { validationProblems } from "./validation-problems";

/** The 405 body for a path that answers only `allow` (RFC 9110; its `Allow` header is the caller's to set). */
export const methodNotAllowed = (method: string, path: string, allow: string[]) =>
  errorBody("METHOD_NOT_ALLOWED", `${method} is not allowed on ${path}; it answers ${allow.join(", ")}`, { allow });

export const routeNotFound = (method: string, path: string) => errorBody("ROUTE_NOT_FOUND", `No route for ${method} ${path}`);

/**
 * Maps every error to `{ error: { code, message, details? } }` with a 4xx for anything the
 * client did wrong; only a real bug is a 500, and its details stay in the log. A path that exists
 * for other methods is a 405 with `Allow` (`methodsAt` lists them), and OPTIONS there a 204.
 */
export const errorHandler = (log: Logger, methodsAt: (path: string) => string[] = () => []) =>
  new Elysia({ name: "platform.error-handler" }).onError({ as: "global" }, async ({ code, error, set, request }) => {
    // An error answer can reflect writes too (a failed checkout's order): they commit first.
    await writesOnDisk().catch(() => undefined);
    // A parse hook's own error (JSON_TOO_DEEP, 415...) arrives wrapped in Elysia's ParseError.
    const appError = error instanceof AppError ? error : code === "PARSE" && (error as Error).cause instanceof AppError ? ((error as Error).cause as AppError) : undefined;
    if (appError) {
      set.status = appError.status;
      if (appError.headers) Object.assign(set.headers, appError.headers);
      return errorBody(appError.code, appError.message, appError.details);
    }
    switch (code) {
      case "VALIDATION": {
        const v = error as ValidationError;
        if (v.type === "response") {
          // Our own answer broke its schema: a bug, not the client's fault.
          log.error("response failed its schema", { err: error, method: request.method, url: request.url });
          set.status = 500;
          return errorBody("INTERNAL", "Internal server error");
        }
        const { where, problems } = validationProblems(v, request);
        const first = problems[0];
        set.status = 422;
        return errorBody(
          "VALIDATION_FAILED",
          first ? `Invalid ${where}: ${first.field ? `${first.field}: ` : ""}${first.message}` : `Invalid ${where}`,
          { in: where, problems },
        );
      }
      case "PARSE":
        set.status = 400;
        return errorBody("MALFORMED_BODY", "The request body is not valid JSON (or does not match its Content-Type)");
      case "NOT_FOUND": {
        const path = pathOf(request.url);
        const allow = methodsAt(path);
        if (allow.length) {
          set.headers.allow = allow.join(", ");
          if (request.method === "OPTIONS") {
            set.status = 204;
            return new Response(null, { status: 204 });
          }
          set.status = 405;
          return methodNotAllowed(request.method, path, allow);
        }
        set.status = 404;
        return routeNotFound(request.method, path);
      }
      case "INVALID_COOKIE_SIGNATURE":
        set.status = 400;
        return errorBody("BAD_REQUEST", "Invalid cookie signature");
    }
    const status = (error as { status?: number }).status;
    if (typeof status === "number" && status >= 400 && status < 500) {
      set.status = status;
      return errorBody(status === 413 ? "PAYLOAD_TOO_LARGE" : "BAD_REQUEST", (error as Error).message || "Bad request");
    }
    log.error("unhandled error", { err: error, method: request.method, url: request.url });
    set.status = 500;
    return errorBody("INTERNAL", "Internal server error");
  });
