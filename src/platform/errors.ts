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

export interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

export const errorBody = (code: string, message: string, details?: Record<string, unknown>): ErrorBody => ({
  error: details ? { code, message, details } : { code, message },
});
