import { Type, type Static } from "@sinclair/typebox";

// Domain errors carry an HTTP status and a stable code; the HTTP layer maps them to
// `{ error: { code, message, details? } }`.

export class AppError extends Error {
  /** Response headers that belong with this error (e.g. Retry-After on a 429). */
  headers?: Record<string, string>;

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = "AppError";
  }
}

export const badRequest = (message: string, details?: Record<string, unknown>) => new AppError(400, "BAD_REQUEST", message, details);
export const unauthorized = (message = "Authentication required") => new AppError(401, "UNAUTHORIZED", message);
export const forbidden = (message = "Not allowed for this role") => new AppError(403, "FORBIDDEN", message);
export const notFound = (what: string, id?: string) =>
  new AppError(404, "NOT_FOUND", id ? `${what} ${id} not found` : `${what} not found`, id ? { id } : undefined);
export const conflict = (code: string, message: string, details?: Record<string, unknown>) => new AppError(409, code, message, details);
export const unprocessable = (code: string, message: string, details?: Record<string, unknown>) => new AppError(422, code, message, details);

/** A dependency (another module over HTTP) is down or timed out. */
export class DependencyUnavailableError extends AppError {
  constructor(readonly dependency: string, reason: string) {
    super(503, "DEPENDENCY_UNAVAILABLE", `${dependency} is unavailable: ${reason}`, { dependency });
  }
}

/**
 * The one shape of every error answer, of every route and process: the schema the OpenAPI document
 * names `Error` and the type the code builds.
 */
export const ErrorBodySchema = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: "stable, machine-readable: VALIDATION_FAILED, NOT_FOUND, EMPTY_CART, ..." }),
      message: Type.String({ description: "for people: what went wrong, naming the field or the rule" }),
      details: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: "what the code needs to act: the field, the limits, the order holding the cart, ..." })),
    }),
  },
  { title: "Error" },
);

export type ErrorBody = Static<typeof ErrorBodySchema>;

export const errorBody = (code: string, message: string, details?: Record<string, unknown>): ErrorBody => ({
  error: details ? { code, message, details } : { code, message },
});
